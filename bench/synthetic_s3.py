#!/usr/bin/env python3
"""A synthetic S3 endpoint for memory tests: millions of objects, no storage.

Serves ListObjectsV2 (list-type=2: prefix, delimiter "/", continuation-token,
start-after, max-keys <= 1000, encoding-type=url), GET (with Range) and HEAD for a
bucket named `synthetic-<N>` holding N objects in the production layout:

    1_download_merge_and_clip/sentinel2/<NNN_Region>/{clipped,download/2025,
        metadata/combined_csv,metadata/individual_csv,template}/<file>

spread over 192 regions. Keys are computed from their index in sorted order, so
nothing is stored: a listing finds its start by binary search over the indices.
Every object has the same tiny body. Authentication is ignored.

One asyncio event loop with a hand-written HTTP/1.1 parser (keep-alive): the
stdlib's http.server parses headers with the email package and manages a few
thousand requests a second; this does several times that.
"""

import argparse
import asyncio
import bisect
import hashlib
import urllib.parse

PREFIX = "1_download_merge_and_clip/sentinel2/"
_NAMES = [
    "Arsuk", "CentralLindenow", "Hagen_Brae", "sermiligarssuk", "SermiitsiaqInTasermiut",
    "Kangiata_Nunaata", "Jakobshavn", "Helheim", "Kangerlussuaq", "Petermann", "Humboldt",
    "Upernavik", "Rink", "Storstrommen", "Zachariae", "Nioghalvfjerdsfjorden", "Daugaard_Jensen",
    "Kong_Oscar", "Steenstrup", "Ikertivaq",
]
REGIONS = [f"{100 + i:03d}_{_NAMES[i % 20]}{'' if i < 20 else i // 20}" for i in range(192)]
BODY = b"glacier-sync 16B"
ETAG = '"' + hashlib.md5(BODY).hexdigest() + '"'
LAST_MODIFIED_ISO = "2025-08-04T14:07:51.000Z"
LAST_MODIFIED_HTTP = "Mon, 04 Aug 2025 14:07:51 GMT"


class Bucket:
    """N keys in sorted order, computed from their index."""

    def __init__(self, count):
        self.count = count
        per, extra = divmod(count, len(REGIONS))
        self.region_start = []
        self.region_folders = []  # per region: [(start offset, folder, count)]
        position = 0
        for r, region in enumerate(REGIONS):
            n = per + (1 if r < extra else 0)
            self.region_start.append(position)
            fixed = 1 if n >= 4 else 0  # one combined CSV and one template per region
            rest = n - 2 * fixed
            download = rest // 20
            clipped = (rest - download) // 2
            individual = rest - download - clipped
            folders, offset = [], 0
            for folder, k in (("clipped/", clipped), ("download/2025/", download),
                              ("metadata/combined_csv/", fixed), ("metadata/individual_csv/", individual),
                              ("template/", fixed)):
                if k:
                    folders.append((offset, folder, k))
                    offset += k
            self.region_folders.append((folders, [f[0] for f in folders]))
            position += n

    def key(self, index):
        r = bisect.bisect_right(self.region_start, index) - 1
        region = REGIONS[r]
        offset = index - self.region_start[r]
        folders, starts = self.region_folders[r]
        f = bisect.bisect_right(starts, offset) - 1
        start, folder, _ = folders[f]
        j = offset - start
        if folder == "clipped/":
            name = f"S2A_MSIL2A_{j:07d}_N0511_R053.tif"
        elif folder == "download/2025/":
            name = f"T22VFP_{j:07d}_B08.tif"
        elif folder == "metadata/combined_csv/":
            name = f"{region}.csv"
        elif folder == "metadata/individual_csv/":
            name = f"S2A_MSIL2A_{j:07d}.csv"
        else:
            name = f"{region}_template.tif"
        return f"{PREFIX}{region}/{folder}{name}"

    def lower_bound(self, text):
        low, high = 0, self.count
        while low < high:
            middle = (low + high) // 2
            if self.key(middle) < text:
                low = middle + 1
            else:
                high = middle
        return low

    def contains(self, key):
        index = self.lower_bound(key)
        return index < self.count and self.key(index) == key


def successor(prefix):
    """The smallest string greater than every string that starts with prefix."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else None


def xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def list_objects(bucket_name, bucket, query):
    prefix = query.get("prefix", "")
    delimiter = query.get("delimiter") or None
    max_keys = max(0, min(1000, int(query.get("max-keys", "1000"))))
    url = query.get("encoding-type") == "url"
    encode = (lambda s: urllib.parse.quote(s, safe="/")) if url else xml_escape
    end = bucket.lower_bound(successor(prefix)) if prefix else bucket.count
    if "continuation-token" in query:
        index = int(query["continuation-token"])
    elif query.get("start-after"):
        index = max(bucket.lower_bound(query["start-after"] + "\0"), bucket.lower_bound(prefix))
    else:
        index = bucket.lower_bound(prefix)
    contents, prefixes = [], []
    while index < end and len(contents) + len(prefixes) < max_keys:
        key = bucket.key(index)
        rest = key[len(prefix):]
        cut = rest.find(delimiter) if delimiter else -1
        if cut >= 0:
            common = prefix + rest[: cut + len(delimiter)]
            prefixes.append(f"<CommonPrefixes><Prefix>{encode(common)}</Prefix></CommonPrefixes>")
            index = bucket.lower_bound(successor(common))
        else:
            contents.append(
                f"<Contents><Key>{encode(key)}</Key><LastModified>{LAST_MODIFIED_ISO}</LastModified>"
                f"<ETag>&quot;{ETAG[1:-1]}&quot;</ETag><Size>{len(BODY)}</Size>"
                "<StorageClass>STANDARD</StorageClass></Contents>"
            )
            index += 1
    truncated = index < end
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
        f"<Name>{bucket_name}</Name><Prefix>{encode(prefix)}</Prefix>",
        f"<MaxKeys>{max_keys}</MaxKeys><KeyCount>{len(contents) + len(prefixes)}</KeyCount>",
    ]
    if delimiter:
        parts.append(f"<Delimiter>{encode(delimiter)}</Delimiter>")
    if url:
        parts.append("<EncodingType>url</EncodingType>")
    if "continuation-token" in query:
        parts.append(f"<ContinuationToken>{query['continuation-token']}</ContinuationToken>")
    parts.append(f"<IsTruncated>{'true' if truncated else 'false'}</IsTruncated>")
    if truncated:
        parts.append(f"<NextContinuationToken>{index}</NextContinuationToken>")
    parts.extend(contents)
    parts.extend(prefixes)
    parts.append("</ListBucketResult>")
    return "".join(parts).encode()


def error_xml(code, message):
    return (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
            f"<Message>{message}</Message></Error>").encode()


class Server:
    def __init__(self):
        self.buckets = {}
        self.requests = 0

    def bucket(self, name):
        if name not in self.buckets:
            if not name.startswith("synthetic-"):
                return None
            try:
                self.buckets[name] = Bucket(int(name.split("-", 1)[1]))
            except ValueError:
                return None
        return self.buckets[name]

    def handle(self, method, target, headers):
        """(status, reason, extra headers, body, send_body)."""
        self.requests += 1
        path, _, raw_query = target.partition("?")
        query = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
        parts = path.lstrip("/").split("/", 1)
        bucket_name = urllib.parse.unquote(parts[0])
        key = urllib.parse.unquote(parts[1]) if len(parts) > 1 and parts[1] else None
        bucket = self.bucket(bucket_name)
        head = method == "HEAD"
        if bucket is None:
            return 404, "Not Found", {}, error_xml("NoSuchBucket", "no such bucket"), not head
        if key is None:
            if method != "GET":
                return 405, "Method Not Allowed", {}, error_xml("MethodNotAllowed", method), True
            if "location" in query:
                body = (b'<?xml version="1.0" encoding="UTF-8"?><LocationConstraint '
                        b'xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-east-1</LocationConstraint>')
                return 200, "OK", {"Content-Type": "application/xml"}, body, True
            return 200, "OK", {"Content-Type": "application/xml"}, list_objects(bucket_name, bucket, query), True
        if method not in ("GET", "HEAD"):
            return 405, "Method Not Allowed", {}, error_xml("MethodNotAllowed", method), True
        if not bucket.contains(key):
            return 404, "Not Found", {}, error_xml("NoSuchKey", "no such key"), not head
        extra = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED_HTTP, "Content-Type": "application/octet-stream",
                 "Accept-Ranges": "bytes"}
        ranged = headers.get("range", "")
        if ranged.startswith("bytes="):
            first, _, last = ranged[6:].partition("-")
            first = int(first or 0)
            last = min(int(last) if last else len(BODY) - 1, len(BODY) - 1)
            extra["Content-Range"] = f"bytes {first}-{last}/{len(BODY)}"
            return 206, "Partial Content", extra, BODY[first : last + 1], not head
        return 200, "OK", extra, BODY, not head


class Connection(asyncio.Protocol):
    def __init__(self, server):
        self.server = server
        self.buffer = b""
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0") or 0)
            if len(self.buffer) < end + 4 + length:
                return  # wait for the (ignored) request body
            self.buffer = self.buffer[end + 4 + length:]
            try:
                method, target, _ = lines[0].split(" ", 2)
                status, reason, extra, body, send_body = self.server.handle(method, target, headers)
            except Exception as error:  # a bug here must show, not hang the client
                status, reason, extra, body, send_body = 500, "Internal Server Error", {}, str(error).encode(), True
            close = headers.get("connection", "").lower() == "close"
            head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}",
                    "x-amz-request-id: synthetic", "Server: synthetic-s3"]
            head.extend(f"{k}: {v}" for k, v in extra.items())
            if close:
                head.append("Connection: close")
            self.transport.write(("\r\n".join(head) + "\r\n\r\n").encode() + (body if send_body else b""))
            if close:
                self.transport.close()
                return


async def serve(host, port, ready_file):
    server = Server()
    loop = asyncio.get_running_loop()
    listener = await loop.create_server(lambda: Connection(server), host, port, backlog=1024, reuse_address=True)
    actual = listener.sockets[0].getsockname()[1]
    if ready_file:
        with open(ready_file + ".tmp", "w") as f:
            f.write(str(actual))
        import os
        os.replace(ready_file + ".tmp", ready_file)
    print(f"synthetic-s3: listening on http://{host}:{actual} (buckets synthetic-<N>)", flush=True)
    async with listener:
        await listener.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port (see --ready-file)")
    parser.add_argument("--ready-file", help="write the port here once listening")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.host, args.port, args.ready_file))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
