#!/usr/bin/env python3
"""paths_nx.py - bench/paths's peer: the same clean-path problems in networkx.

usage: paths_nx.py PROBLEM PATHQ_OUT K
Reads tools/pathq's input, builds the graphs once as a networkx user
would (the device graph, the clean subgraph, a directed graph whose arcs
weigh their head's replacement cost, and the node-split flow graph with
restricted devices of capacity 1 and clean ones uncapacitated), then
answers the first K sensitive sites as trustmap does: a clean path
(has_path), else the cheapest replacements (dijkstra_path_length) and the
minimum restricted vertex cut (minimum_cut).  Each answer is checked
against trustmap's (PATHQ_OUT: cost and cut value).  Prints one line:
"nx: build S, K sites S (clean C, replace R: exist S, dijkstra S, cut S),
mismatches N" (CPU seconds)."""
import sys
import time

import networkx as nx

clock = time.process_time  # CPU seconds: the machine is shared, wall time is noise

path, qout, K = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = clock()
tok = open(path).read().split()
pos = 0


def nxt():
    global pos
    pos += 1
    return int(tok[pos - 1])


n, m = nxt(), nxt()
restr = [nxt() for _ in range(n)]
cost = [nxt() for _ in range(n)]
cap = [nxt() for _ in range(n)]
edges = [(nxt(), nxt()) for _ in range(m)]
queries = []
for _ in range(nxt()):
    s = [nxt() for _ in range(nxt())]
    t = [nxt() for _ in range(nxt())]
    queries.append((s, t))
t_read = clock() - t0

t0 = clock()
G = nx.Graph()
G.add_nodes_from(range(n))
G.add_edges_from((a, b) for a, b in edges if a != b)
H = G.subgraph(v for v in range(n) if not restr[v]).copy()
W = nx.DiGraph()
for a, b in G.edges():
    W.add_edge(a, b, weight=cost[b] if restr[b] else 0)
    W.add_edge(b, a, weight=cost[a] if restr[a] else 0)
F = nx.DiGraph()
for v in range(n):
    if restr[v]:
        F.add_edge((v, 0), (v, 1), capacity=cap[v])
    else:
        F.add_edge((v, 0), (v, 1))
for a, b in G.edges():
    F.add_edge((a, 1), (b, 0))
    F.add_edge((b, 1), (a, 0))
t_build = clock() - t0

want = [l.split() for l in open(qout)]
te = td = tc = 0.0
nclean = nrep = bad = 0
for qi, (s, t) in enumerate(queries[:K]):
    t0 = clock()
    H.add_node("S"), H.add_node("T")
    H.add_edges_from(("S", v) for v in s if not restr[v])
    H.add_edges_from((v, "T") for v in t if not restr[v])
    clean = nx.has_path(H, "S", "T")
    H.remove_node("S"), H.remove_node("T")
    te += clock() - t0
    w = want[qi]
    if clean:
        nclean += 1
        bad += w[0] != "clean"
        continue
    nrep += 1
    t0 = clock()
    for v in set(s):
        W.add_edge("S", v, weight=cost[v] if restr[v] else 0)
    for v in set(t):
        W.add_edge(v, "T", weight=0)
    try:
        c = nx.dijkstra_path_length(W, "S", "T")
    except nx.NetworkXNoPath:
        c = None
    W.remove_node("S"), W.remove_node("T")
    td += clock() - t0
    t0 = clock()
    for v in set(s):
        F.add_edge("S", (v, 0))
    for v in set(t):
        F.add_edge((v, 1), "T")
    cv, (reach, _) = nx.minimum_cut(F, "S", "T")
    F.remove_node("S"), F.remove_node("T")
    tc += clock() - t0
    k = int(w[2])
    got_cost, got_cut = int(w[1]), int(w[3 + k])
    if c is None:
        bad += w[0] != "cut-off"
    else:
        bad += w[0] != "replace" or got_cost != c or got_cut != cv
print("nx: read %.2f s, build %.2f s, %d sites %.2f s (clean %d, replace %d: exist %.2f s, dijkstra %.2f s, cut %.2f s), "
      "mismatches %d" % (t_read, t_build, min(K, len(queries)), te + td + tc, nclean, nrep, te, td, tc, bad))
