#!/usr/bin/env python3
"""Fills a bucket on the local test gateway with a small dataset in the production layout.

The layout follows docs of the real bucket (one folder per glacier region):
    PREFIX/sentinel2/<region>/{clipped,download/<year>,metadata/{combined,individual}_csv,template}/
    PREFIX/landsat/<region>/*.tif and PREFIX/landsat/_reference/
Files are small (a few KB) and random but deterministic (fixed seed), so every run
uploads the same bytes. Credentials and endpoint come from the gateway's env file
(written by scripts/start-test-s3.sh).
"""

import argparse
import os
import random
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
import gsync_testlib as lib  # noqa: E402

REGIONS = ["134_Arsuk", "140_CentralLindenow", "191_Hagen_Brae"]
SENTINEL2_DATES = ["20240704T140751", "20250804T140751", "20250806T141009"]
LANDSAT_SCENES = [
    "20240712141328_LC90010172024194LGN00_LC09_L1TP_001017_20240712_20240712_02_T1",
    "20250802141328_LC90010172025214LGN00_LC09_L1TP_001017_20250802_20250802_02_T1",
]


def dataset(prefix, seed):
    rng = random.Random(seed)

    def blob(low=2048, high=8192):
        return rng.randbytes(rng.randint(low, high))

    objects = {}
    for region in REGIONS:
        s2 = f"{prefix}/sentinel2/{region}"
        rows = ["scene,date,cloud_cover"]
        for date in SENTINEL2_DATES:
            scene = f"S2A_MSIL2A_{date}_N0511_R053"
            year = date[:4]
            objects[f"{s2}/clipped/{scene}.tif"] = blob()
            # The raw tiles: the part --exclude-downloads leaves out.
            objects[f"{s2}/download/{year}/T22VFP_{date}_B08.tif"] = blob(12288, 16384)
            cloud = rng.randint(0, 40)
            objects[f"{s2}/metadata/individual_csv/{scene}.csv"] = f"scene,date,cloud_cover\n{scene},{date[:8]},{cloud}\n".encode()
            rows.append(f"{scene},{date[:8]},{cloud}")
        objects[f"{s2}/metadata/combined_csv/{region}.csv"] = ("\n".join(rows) + "\n").encode()
        objects[f"{s2}/template/{region}_template.tif"] = blob()
        for scene in LANDSAT_SCENES:
            objects[f"{prefix}/landsat/{region}/{scene}_ortho.tif"] = blob()
    objects[f"{prefix}/landsat/_reference/stac_items.json"] = b'{"type": "FeatureCollection", "features": []}\n'
    objects[f"{prefix}/landsat/_reference/template_ortho.tif"] = blob()
    return objects


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bucket", default="glacier-sync-demo")
    parser.add_argument("--prefix", default=lib.PREFIX)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    client = lib.S3Client.from_env(lib.load_gateway_env())
    try:
        client.create_bucket(args.bucket)
    except lib.S3Error as error:
        if error.status != 409:  # already there (ours): fill it again
            raise
    objects = dataset(args.prefix, args.seed)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: client.put_object(args.bucket, item[0], item[1]), objects.items()))
    total = sum(len(data) for data in objects.values())
    raw = sum(1 for k in objects if "/download/" in k)
    print(
        f"make-demo-data: {len(objects)} objects ({total / 1024:.0f} KiB, {raw} raw tiles in download/ folders) "
        f"in s3://{args.bucket}/{args.prefix}/"
    )


if __name__ == "__main__":
    main()
