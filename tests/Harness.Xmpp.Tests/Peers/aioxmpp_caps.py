#!/usr/bin/python3
"""Computes entity-capabilities hashes with the real aioxmpp, for Harness.Xmpp.Tests (AioxmppCapsTests) and the
benchmark script tests/Harness.Benchmarks/xmpp-caps-vs-aioxmpp.sh.

  aioxmpp_caps.py FILE...            one JSON object per file: caps115 (sha-1 via caps115.hash_query), the XEP-0390
                                     hash input length and its sha-256, sha3-256, blake2b-256, blake2b-512 digests
                                     (caps390._get_hash_input + aioxmpp.hashes), or the error aioxmpp raised
  aioxmpp_caps.py --bench FILE SECS  hash_query(query, "sha1") calls per second (wall and CPU) on one parsed query
"""
import base64
import json
import sys
import time

import aioxmpp
import aioxmpp.disco
import aioxmpp.entitycaps.caps115 as caps115
import aioxmpp.entitycaps.caps390 as caps390
import aioxmpp.hashes
import aioxmpp.xml


def read(path):
    with open(path, "rb") as f:
        return aioxmpp.xml.read_single_xso(f, aioxmpp.disco.xso.InfoQuery)


def describe(path):
    result = {"file": path}
    query = read(path)
    try:
        result["caps115"] = caps115.hash_query(query, "sha1")
    except ValueError as exc:
        result["caps115_error"] = str(exc)
    try:
        data = caps390._get_hash_input(query)
        result["input390"] = len(data)
        for algo in ("sha-256", "sha3-256", "blake2b-256", "blake2b-512"):
            if aioxmpp.hashes.is_algo_supported(algo):
                result[algo] = base64.b64encode(caps390._calculate_hash(algo, data)).decode("ascii")
    except ValueError as exc:
        result["caps390_error"] = str(exc)
    return result


def bench(path, seconds):
    query = read(path)
    count = 0
    cpu = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(100):
            caps115.hash_query(query, "sha1")
        count += 100
        now = time.perf_counter()
        if now >= deadline:
            break
    cpu = time.process_time() - cpu
    print(json.dumps({"calls": count, "seconds": now - start, "per_second": count / (now - start),
                      "cpu_seconds": cpu, "per_cpu_second": count / cpu,
                      "ver": caps115.hash_query(query, "sha1")}))


def main(argv):
    if len(argv) >= 2 and argv[1] == "--bench":
        bench(argv[2], float(argv[3]) if len(argv) > 3 else 2.0)
        return 0
    for path in argv[1:]:
        print(json.dumps(describe(path), ensure_ascii=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
