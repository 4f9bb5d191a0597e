"""The benchmark's datasets, in the production layout, and a fast uploader.

Every case lives in its own bucket under PREFIX/sentinel2/<NNN_Region>/..., spread
over the 192 region folders as the real bucket is. The bytes are random; a copy of
each dataset is kept on disk (the "source tree") so that every tool's result can be
checked byte for byte, and so that the no-op case can start from a correct tree.
"""

import concurrent.futures
import hashlib
import http.client
import os
import sys
import threading

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import gsync_testlib as lib  # noqa: E402

PREFIX = lib.PREFIX
SATELLITE = "sentinel2"
KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

_NAMES = [
    "Arsuk", "CentralLindenow", "Hagen_Brae", "sermiligarssuk", "SermiitsiaqInTasermiut",
    "Kangiata_Nunaata", "Jakobshavn", "Helheim", "Kangerlussuaq", "Petermann", "Humboldt",
    "Upernavik", "Rink", "Storstrommen", "Zachariae", "Nioghalvfjerdsfjorden", "Daugaard_Jensen",
    "Kong_Oscar", "Steenstrup", "Ikertivaq",
]
REGIONS = [f"{100 + i:03d}_{_NAMES[i % len(_NAMES)]}{'' if i < len(_NAMES) else i // len(_NAMES)}"
           for i in range(192)]


def scene(j, tag="A"):
    day = 1 + j % 28
    return f"S2{tag}_MSIL2A_2025{1 + (j // 28) % 12:02d}{day:02d}T14{j % 60:02d}{(j * 7) % 60:02d}_N0511_R{j:06d}"


def root(prefix=PREFIX):
    return f"{prefix}/{SATELLITE}"


def layout(case, quick=False):
    """[(key, size)] of one case; `quick` shrinks every count for a smoke run."""
    base = root()
    objects = []
    if case == "a":  # many small: clipped scenes and their metadata
        count = 500 if quick else 5000
        for j in range(count):
            region = REGIONS[j % len(REGIONS)]
            folder = ("clipped", "clipped", "metadata/individual_csv", "template")[(j // len(REGIONS)) % 4]
            ext = "csv" if "csv" in folder else "tif"
            objects.append((f"{base}/{region}/{folder}/{scene(j)}.{ext}", 64 * KiB))
    elif case == "b":  # medium: clipped scenes of ~1.2 MiB
        count = 60 if quick else 600
        for j in range(count):
            region = REGIONS[j % len(REGIONS)]
            objects.append((f"{base}/{region}/clipped/{scene(j)}.tif", int(1.2 * MiB)))
    elif case == "c":  # large: raw Band 8 tiles
        size = 64 * MiB if quick else GiB
        for j in range(2):
            objects.append((f"{base}/{REGIONS[j]}/download/2025/T22VFP_{scene(j)}_B08.tif", size))
    elif case in ("d", "e"):  # the daily tree: many small files in every folder
        count = 5000 if quick else 50000
        folders = ("clipped", "metadata/individual_csv", "download/2025", "clipped", "template",
                   "metadata/combined_csv", "metadata/individual_csv")
        for j in range(count):
            region = REGIONS[j % len(REGIONS)]
            folder = folders[(j // len(REGIONS)) % len(folders)]
            ext = "csv" if "csv" in folder else "tif"
            objects.append((f"{base}/{region}/{folder}/{scene(j)}.{ext}", 4 * KiB + (j * 2654435761) % (12 * KiB)))
        if case == "e":  # 1% new scenes, on top of (d)
            for j in range(count // 100):
                region = REGIONS[(j * 37) % len(REGIONS)]
                objects.append((f"{base}/{region}/clipped/{scene(j, 'B')}_new.tif", 4 * KiB + (j * 977) % (12 * KiB)))
    else:
        raise ValueError(case)
    return objects


# ---------------------------------------------------------------------------------
# Uploading: keep-alive connections, one per thread, and UNSIGNED-PAYLOAD so that
# Python does not hash every body twice. Much faster than the testlib's one
# connection per request.
# ---------------------------------------------------------------------------------


class FastClient(lib.S3Client):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._local = threading.local()

    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
            self._local.conn = conn
        return conn

    def put(self, bucket, key, body, query=(), ok=(200,)):
        path = "/" + lib.uri_encode(bucket) + "/" + lib.uri_encode(key)
        headers, canonical_query = self._sign("PUT", path, list(query), {}, "UNSIGNED-PAYLOAD")
        target = path + ("?" + canonical_query if canonical_query else "")
        for attempt in range(4):
            conn = self._conn()
            try:
                conn.putrequest("PUT", target, skip_host=True, skip_accept_encoding=True)
                for name, value in headers.items():
                    conn.putheader(name, value)
                conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body)
                response = conn.getresponse()
                data = response.read()
                if response.status not in ok:
                    raise lib.S3Error(response.status, data, "PUT", target)
                return response
            except (ConnectionError, http.client.HTTPException, OSError):
                conn.close()
                self._local.conn = None
                if attempt == 3:
                    raise


def client():
    env = lib.load_gateway_env()
    return FastClient.from_env(env)


def ensure_bucket(s3, bucket):
    try:
        s3.create_bucket(bucket)
    except lib.S3Error as error:
        if error.status != 409:
            raise


def _content(key, size):
    # Random bytes; the key seeds nothing, the manifest records what was written.
    return os.urandom(size)


def generate_and_upload(s3, bucket, objects, source_dir, workers=16, multipart_above=16 * MiB):
    """Writes each object under source_dir/<key> and PUTs it; returns {key: (size, sha256)}."""
    manifest = {}
    lock = threading.Lock()

    def one(item):
        key, size = item
        data = _content(key, size)
        path = os.path.join(source_dir, *key.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        if size > multipart_above:
            # As the pipeline's boto3 uploads raw tiles: multipart, 8 MiB parts, ETag "-N".
            s3.multipart_upload(bucket, key, data, part_size=8 * MiB)
        else:
            s3.put(bucket, key, data)
        digest = hashlib.sha256(data).hexdigest()
        with lock:
            manifest[key] = (size, digest)

    big = [o for o in objects if o[1] > multipart_above]
    small = [o for o in objects if o[1] <= multipart_above]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, small))
    for item in big:  # one at a time: a 1 GiB body in RAM is enough
        one(item)
    return manifest


def set_mtimes_from_listing(s3, bucket, source_dir, prefix):
    """Gives each source file its object's LastModified (whole seconds), as aws-cli does."""
    listed = s3.list_objects(bucket, prefix)
    for obj in listed:
        path = os.path.join(source_dir, *obj.key.split("/"))
        stamp = int(obj.last_modified.timestamp())
        os.utime(path, (stamp, stamp))
    return len(listed)


def delete_bucket_fast(s3, bucket, workers=8):
    """Empties and removes a bucket; the batches of 1,000 keys go in parallel."""
    try:
        keys = [o.key for o in s3.list_objects(bucket)]
    except lib.S3Error as error:
        if error.status == 404:
            return 0
        raise
    batches = [keys[i : i + 1000] for i in range(0, len(keys), 1000)]
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda batch: s3.delete_objects(bucket, batch), batches))
    s3.abort_all_multipart_uploads(bucket)
    s3.request("DELETE", bucket)
    return len(keys)
