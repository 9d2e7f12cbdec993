#!/usr/bin/env python3
"""paths_oracle.py - src/paths/ against networkx (Debian's python3-networkx).

Random topologies (up to 2,000 devices; sparse and dense, disconnected,
with self-loops and duplicate links), random restricted sets, costs, cut
capacities, sites and cores.  build/tools/pathq answers every query; for
each, networkx must agree on:
  - existence of a clean path (has_path on the clean subgraph);
  - the cheapest replacement cost (Dijkstra on a directed graph whose arcs
    weigh their head's cost), and the named devices are restricted, sum to
    that cost, and really give a clean path once replaced;
  - the minimum restricted vertex cut (minimum_cut_value on the node-split
    graph, clean devices and links uncapacitated), and the named devices are
    restricted, sum to that value, and really cut the site off when removed;
  - "cut-off" exactly when no path exists at all.
Usage: paths_oracle.py PATHQ [GRAPHS] [SEED].  Prints
"paths_oracle: N passed, N failed" (one check per assertion)."""
import random
import subprocess
import sys

import networkx as nx

PATHQ = sys.argv[1]
GRAPHS = int(sys.argv[2]) if len(sys.argv) > 2 else 60
SEED = int(sys.argv[3]) if len(sys.argv) > 3 else 6
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        if failed <= 20:
            print("FAIL:", what, file=sys.stderr)


def make(rng, gi):
    n = rng.choice([1, 2, 5, 20, 100, 500, 2000]) if gi >= 6 else [1, 2, 3, 10, 50, 2000][gi]
    shape = rng.choice(["sparse", "tree", "dense", "grid"])
    edges = []
    if shape == "sparse":
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(int(n * rng.uniform(0.5, 2.0)))]
    elif shape == "tree":
        edges = [(v, rng.randrange(v)) for v in range(1, n)]
        edges += [(rng.randrange(n), rng.randrange(n)) for _ in range(n // 10)]
    elif shape == "dense":
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(int(n * rng.uniform(2, 6)))]
    else:
        w = max(1, int(n ** 0.5))
        for v in range(n):
            if v % w + 1 < w and v + 1 < n:
                edges.append((v, v + 1))
            if v + w < n:
                edges.append((v, v + w))
    # bad input on purpose: self-loops, duplicates in both directions
    if n and rng.random() < 0.5:
        for _ in range(1 + n // 50):
            v = rng.randrange(n)
            edges.append((v, v))
    if edges and rng.random() < 0.5:
        for _ in range(1 + len(edges) // 20):
            a, b = rng.choice(edges)
            edges.append((b, a) if rng.random() < 0.5 else (a, b))
    frac = rng.choice([0.05, 0.2, 0.4, 0.6, 0.9])
    restr = [1 if rng.random() < frac else 0 for _ in range(n)]
    cost = [rng.randint(0, 1000) if rng.random() < 0.95 else 0 for _ in range(n)]
    unit = rng.random() < 0.4
    cap = [1 if unit else rng.randint(1, 1000) for _ in range(n)]
    queries = []
    for _ in range(12):
        ns = rng.choice([0, 1, 1, 2, 3, 5]) if n else 0
        nt = rng.choice([1, 1, 2, 4])
        s = [rng.randrange(n) for _ in range(ns)]
        t = [rng.randrange(n) for _ in range(nt)] if n else []
        if n and t:
            queries.append((s, t))
    return n, edges, restr, cost, cap, queries


def problem_text(n, edges, restr, cost, cap, queries):
    out = [f"{n} {len(edges)}", " ".join(map(str, restr)), " ".join(map(str, cost)), " ".join(map(str, cap))]
    out += [f"{a} {b}" for a, b in edges]
    out.append(str(len(queries)))
    for s, t in queries:
        out.append(" ".join(map(str, [len(s)] + s + [len(t)] + t)))
    return "\n".join(out) + "\n"


def parse(line):
    f = line.split()
    st, cost = f[0], int(f[1])
    k = int(f[2])
    rep = list(map(int, f[3:3 + k]))
    i = 3 + k
    cutv, nc = int(f[i]), int(f[i + 1])
    cut = list(map(int, f[i + 2:i + 2 + nc]))
    return st, cost, rep, cutv, cut


def connected(G, ok, s, t):
    """Is some s reachable from some t through nodes where ok(v)?"""
    H = nx.Graph()
    H.add_nodes_from(v for v in G if ok(v))
    H.add_edges_from((a, b) for a, b in G.edges() if ok(a) and ok(b) and a != b)
    H.add_node("S")
    H.add_node("T")
    H.add_edges_from(("S", v) for v in s if ok(v))
    H.add_edges_from((v, "T") for v in t if ok(v))
    return nx.has_path(H, "S", "T")


def oracle_cost(G, restr, cost, s, t):
    D = nx.DiGraph()
    w = lambda v: cost[v] if restr[v] else 0
    for a, b in G.edges():
        if a != b:
            D.add_edge(a, b, weight=w(b))
            D.add_edge(b, a, weight=w(a))
    for v in set(s):
        D.add_edge("S", v, weight=w(v))
    for v in set(t):
        D.add_edge(v, "T", weight=0)
    try:
        return nx.dijkstra_path_length(D, "S", "T")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None


def oracle_cut(G, restr, cap, s, t):
    D = nx.DiGraph()
    for v in G:
        if restr[v]:
            D.add_edge((v, 0), (v, 1), capacity=cap[v])
        else:
            D.add_edge((v, 0), (v, 1))  # no capacity: infinite
    for a, b in G.edges():
        if a != b:
            D.add_edge((a, 1), (b, 0))
            D.add_edge((b, 1), (a, 0))
    for v in set(s):
        D.add_edge("S", (v, 0))
    for v in set(t):
        D.add_edge((v, 1), "T")
    return nx.minimum_cut_value(D, "S", "T")


def main():
    rng = random.Random(SEED)
    nq = 0
    for gi in range(GRAPHS):
        n, edges, restr, cost, cap, queries = make(rng, gi)
        text = problem_text(n, edges, restr, cost, cap, queries)
        p = subprocess.run([PATHQ], input=text, capture_output=True, text=True)
        check(p.returncode == 0, f"graph {gi}: pathq exit {p.returncode}: {p.stderr.strip()}")
        if p.returncode:
            continue
        lines = p.stdout.splitlines()
        check(len(lines) == len(queries), f"graph {gi}: {len(lines)} answers for {len(queries)} queries")
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from((a, b) for a, b in edges if a != b)
        for qi, ((s, t), line) in enumerate(zip(queries, lines)):
            nq += 1
            st, c, rep, cutv, cut = parse(line)
            tag = f"graph {gi} (n={n}) query {qi} s={s} t={t}: {line}"
            if not s:
                check(st == "no-devices", tag + ": want no-devices")
                continue
            clean = connected(G, lambda v: not restr[v], s, t)
            check((st == "clean") == clean, tag + f": clean path exists={clean}")
            anyp = connected(G, lambda v: True, s, t)
            check((st == "cut-off") == (not anyp), tag + f": any path exists={anyp}")
            if st != "replace":
                continue
            want = oracle_cost(G, restr, cost, s, t)
            check(c == want, tag + f": cheapest replacement cost {c}, networkx {want}")
            check(all(restr[v] for v in rep), tag + ": a named replacement is not restricted")
            check(sum(cost[v] for v in rep) == c, tag + ": replacements do not sum to the cost")
            rs = set(rep)
            check(connected(G, lambda v: not restr[v] or v in rs, s, t),
                  tag + ": no clean path after replacing the named devices")
            wantcut = oracle_cut(G, restr, cap, s, t)
            check(cutv == wantcut, tag + f": min cut {cutv}, networkx {wantcut}")
            check(all(restr[v] for v in cut), tag + ": a cut device is not restricted")
            check(sum(cap[v] for v in cut) == cutv, tag + ": cut devices do not sum to the cut value")
            cs = set(cut)
            check(not connected(G, lambda v: v not in cs, s, t), tag + ": removing the cut leaves a path")
    print(f"paths_oracle: {nq} queries on {GRAPHS} graphs", file=sys.stderr)
    print(f"paths_oracle: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
