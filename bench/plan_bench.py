"""Benchmark the planner: median plan() time over 1,000 seeded random version 2 intakes, and the
time to load and validate the knowledge base from cold.

Both are timed as wall-clock time and as this process's CPU time. The targets are judged on CPU
time, so that other work on a shared machine does not count against the planner; on an idle
machine the two agree.

Run: .venv/bin/python bench/plan_bench.py
"""

import random
import statistics
import sys
import time

from bodymap.knowledge import load, plan

PLAN_TARGET_MS = 2.0
LOAD_TARGET_MS = 50.0
SEED = 20260101


def random_intake(rng: random.Random, kb) -> dict:
    """A valid version 2 intake: a few complaints, the odd red flag, conditions, medicines,
    allergies, surgeries, skin, implants, consent and avoidance."""
    regions, symptoms = list(kb.regions), list(kb.symptoms)
    complaints, seen = [], set()
    for _ in range(rng.randint(0, 5)):
        region = rng.choice(regions)
        side = rng.choice(["left", "right", "both"])
        key = (region, side if kb.regions[region].sides == "left_right" else "both")
        if key in seen:
            continue
        seen.add(key)
        complaints.append(
            {
                "region": region,
                "side": side,
                "pain": rng.randint(0, 10),
                "symptoms": rng.sample(symptoms, rng.randint(0, 3)),
                "weeks": rng.choice([0, 1, 3, 8, 26]),
                "onset": rng.choice(["sudden", "gradual"]),
            }
        )
    flags = list(kb.flags)
    screening = {f: rng.random() < 0.03 for f in flags}
    sites = [
        {"region": rng.choice(regions), "side": rng.choice(["left", "right", "both"])}
        for _ in range(rng.randint(0, 2))
    ]
    return {
        "version": 2,
        "age": rng.randint(2, 95),
        "medications": rng.sample(list(kb.medications), rng.randint(0, 2)),
        "allergies": rng.sample(list(kb.allergies), rng.randint(0, 1)),
        "surgeries": [{**s, "weeks_ago": rng.randint(0, 20)} for s in sites[:1]],
        "skin": [{**s, "kind": rng.choice(["rash", "bruise"])} for s in sites[1:]],
        "implants": rng.sample(
            [
                {"kind": "pacemaker", "side": "left"},
                {"kind": "joint_replacement", "region": "knee", "side": "right"},
                {"kind": "breast_implants"},
            ],
            rng.randint(0, 1),
        ),
        "session_minutes": rng.choice([15, 30, 45, 60, 75, 90, 120, 180]),
        "pressure": rng.choice(["light", "medium", "firm"]),
        "complaints": complaints,
        "stress": rng.randint(0, 10),
        "screening": screening,
        "conditions": rng.sample(list(kb.conditions), rng.randint(0, 2)),
        "consent": {
            r: rng.choice(["granted", "over_drape", "declined"])
            for r in rng.sample(regions, rng.randint(0, 4))
        },
        "avoid": rng.sample(regions, rng.randint(0, 2)),
    }


def main() -> int:
    kb = load()
    rng = random.Random(SEED)
    intakes = [random_intake(rng, kb) for _ in range(1000)]
    for intake in intakes[:50]:  # warm up
        plan(intake)
    timings, cpu = [], []
    for intake in intakes:
        start, start_cpu = time.perf_counter(), time.process_time()
        plan(intake)
        cpu.append((time.process_time() - start_cpu) * 1000)
        timings.append((time.perf_counter() - start) * 1000)
    plan_median = statistics.median(cpu)
    plan_wall = statistics.median(timings)
    plan_p95 = statistics.quantiles(timings, n=20)[-1]

    loads, loads_cpu = [], []
    for _ in range(15):
        load.cache_clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        load()
        loads_cpu.append((time.process_time() - start_cpu) * 1000)
        loads.append((time.perf_counter() - start) * 1000)
    load_median = statistics.median(loads_cpu)

    print(
        f"plan():  median {plan_median:.3f} ms CPU ({plan_wall:.3f} ms wall, 95th percentile "
        f"{plan_p95:.3f} ms wall) over {len(intakes)} intakes "
        f"(target: median under {PLAN_TARGET_MS:g} ms)"
    )
    print(
        f"load():  median {load_median:.2f} ms CPU ({statistics.median(loads):.2f} ms wall) "
        f"over {len(loads)} cold loads (target: under {LOAD_TARGET_MS:g} ms)"
    )
    ok = plan_median < PLAN_TARGET_MS and load_median < LOAD_TARGET_MS
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
