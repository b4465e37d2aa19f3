"""References for Steppe's spatial interaction and radiation models.

Run from this directory:  python3 generate.py
Needs: spint 1.0.7 (pip install spint), statsmodels, numpy, and scikit-mobility 1.3.1 for
the radiation model (pip install --no-deps scikit-mobility folium tqdm geojson h3 fiona;
its import needs shapely.ops.cascaded_union, which shapely 2 renamed unary_union: the
shim below supplies it).

Writes:
  austria.csv      spint's test data (spint/tests/test_gravity.py, Dennett 2012): 72
                   inter-regional flows between Austria's 9 NUTS-2 regions.
  spint.json       every model of spint's test file and the ones it does not pin, fitted
                   by spint itself: parameters, standard errors, z, p, fitted values,
                   deviance, log-likelihoods, AIC, D2, adjusted D2, pseudo-R2, adjusted
                   pseudo-R2, SSI, SRMSE, and scikit-mobility's CPC; model-based, robust
                   (HC0) and origin-clustered standard errors by statsmodels' GLM on spint's
                   own design matrix (spint has no robust or clustered ones).
  radiation.json   scikit-mobility's Radiation (its own _get_flows, distances from the
                   Korean 2020 matrix instead of haversine) on korea-interregional 2020,
                   and the same without the finite-size factor 1/(1 - m_i/M).
"""
import json
import sys

import numpy as np
import shapely.ops
import statsmodels.api as sm

shapely.ops.cascaded_union = shapely.ops.unary_union  # scikit-mobility 1.3.1 on shapely 2

import spint
from spint.gravity import BaseGravity, Gravity, Production, Attraction, Doubly
from spint.tests.test_gravity import TestGravity
from skmob.measures.evaluation import common_part_of_commuters
import skmob.models.radiation as skrad

data = TestGravity()
data.setUp()
f, o, d, dij, ov, dv = data.f, data.o, data.d, data.dij, data.o_var, data.d_var

with open("austria.csv", "w") as out:
    out.write("origin,destination,flow,distance,origin_var,destination_var\n")
    for a, b, flow, dist, x, z in zip(o, d, f, dij, ov, dv):
        out.write("%s,%s,%d,%r,%d,%d\n" % (a, b, flow, float(dist), x, z))


def summary(model, quasi=False):
    y = np.asarray(model.f, dtype=float).ravel()
    yhat = np.asarray(model.yhat, dtype=float).ravel()
    res = dict(
        params=list(map(float, np.ravel(model.params))),
        stdErrors=list(map(float, np.ravel(model.std_err))),
        tvalues=list(map(float, np.ravel(model.tvalues))),
        pvalues=list(map(float, np.ravel(model.pvalues))),
        fitted=list(map(float, yhat)),
        k=int(model.k), n=int(model.n),
        deviance=float(model.deviance),
        llf=None if quasi else float(model.llf),
        llnull=None if quasi else float(model.llnull),
        AIC=None if quasi else float(model.AIC),
        D2=float(model.D2), adjD2=float(model.adj_D2),
        pseudoR2=None if quasi else float(model.pseudoR2),
        adjPseudoR2=None if quasi else float(model.adj_pseudoR2),
        SSI=float(model.SSI), SRMSE=float(model.SRMSE),
        CPC=float(common_part_of_commuters(y, yhat)),
    )
    return res


def dense(X):
    return X.toarray() if hasattr(X, "toarray") else np.asarray(X)


def sandwich(model, constant=True):
    """Model-based ("iid", the exact information at the converged estimates: spint's own
    come from the weights of its last-but-one IRLS step, 1e-7 to 6e-5 apart), robust HC0 and
    origin-clustered SEs of statsmodels' Poisson GLM on spint's design. (statsmodels' GLM
    gives HC1 equal to HC0, so HC1 is checked as HC0 times sqrt(n/(n - K)), its definition.)"""
    X = dense(model.X)
    if constant:
        X = np.hstack([np.ones((X.shape[0], 1)), X])
    y = np.asarray(model.f, dtype=float).ravel()
    glm = sm.GLM(y, X, family=sm.families.Poisson())
    out = {}
    for name, kw in [("iid", dict(cov_type="nonrobust")), ("hc0", dict(cov_type="HC0")),
                     ("clusterOrigin", dict(cov_type="cluster", cov_kwds=dict(groups=np.unique(o, return_inverse=True)[1])))]:
        r = glm.fit(tol=1e-12, **kw)
        assert np.allclose(r.params, np.ravel(model.params), rtol=1e-6, atol=1e-8)
        out[name] = list(map(float, r.bse))
    return out


models = {}
col = lambda a: np.reshape(a, (-1, 1))
for cost in ("exp", "pow"):
    models["base-" + cost] = summary(BaseGravity(col(f), col(dij), cost, constant=False))
    g = Gravity(f, ov, dv, dij, cost, constant=True)
    models["unconstrained-" + cost] = dict(summary(g), **sandwich(g))
    p = Production(f, o, dv, dij, cost, constant=True)
    models["production-" + cost] = dict(summary(p), **sandwich(p))
    a = Attraction(f, d, ov, dij, cost, constant=True)
    models["attraction-" + cost] = dict(summary(a), **sandwich(a))
    dd = Doubly(f, o, d, dij, cost, constant=True)
    models["doubly-" + cost] = dict(summary(dd), **sandwich(dd))
models["base-exp-quasi"] = summary(BaseGravity(col(f), col(dij), "exp", constant=False, Quasi=True), quasi=True)
models["doubly-pow-quasi"] = summary(Doubly(f, o, d, dij, "pow", constant=True, Quasi=True), quasi=True)
models["unconstrained-pow-quasi"] = summary(Gravity(f, ov, dv, dij, "pow", constant=True, Quasi=True), quasi=True)

meta = dict(spint=getattr(spint, "__version__", "1.0.7"), statsmodels=sm.__version__, numpy=np.__version__,
            python=sys.version.split()[0],
            parameterOrder="spint's: constant, origin dummies 2..O, destination dummies 2..D, log origin vars, log destination vars, cost")
with open("spint.json", "w") as out:
    json.dump(dict(meta=meta, models=models), out, indent=1)

# --- Radiation: scikit-mobility's own _get_flows on the Korean 2020 matrix ---------------
import csv
rows = [r for r in csv.DictReader(open("../../../../Datasets/files/korea-interregional.csv")) if r["year"] == "2020"]
regions = sorted({r["origin"] for r in rows})
index = {name: k for k, name in enumerate(regions)}
pop = np.zeros(len(regions))
dist = np.zeros((len(regions), len(regions)))
outflow = np.zeros(len(regions))
for r in rows:
    i, j = index[r["origin"]], index[r["destination"]]
    pop[i] = float(r["origin_pop_millions"])
    dist[i, j] = float(r["dist_centroid_km"])
    if i != j:
        outflow[i] += float(r["flow"])
skrad.distfunc = lambda a, b: dist[int(a[0]), int(b[0])]
model = skrad.Radiation()
model._out_format = "probabilities"
model.lats_lngs = [(k, k) for k in range(len(regions))]
model.relevances = pop
model.tot_outflows = outflow
M = pop.sum()
flows = []
for i in range(len(regions)):
    for (a, b, prob) in model._get_flows(i, M):
        flows.append(dict(origin=regions[a], destination=regions[b],
                          finiteSize=float(outflow[a] * prob),
                          plain=float(outflow[a] * prob * (1 - pop[a] / M))))
observed = {(r["origin"], r["destination"]): float(r["flow"]) for r in rows}
y = np.array([observed[(e["origin"], e["destination"])] for e in flows])
stats = {}
for key in ("finiteSize", "plain"):
    yhat = np.array([e[key] for e in flows])
    stats[key] = dict(SSI=float(np.mean(2 * np.minimum(y, yhat) / (y + yhat))),
                      SRMSE=float(np.sqrt(np.mean((y - yhat) ** 2)) / np.mean(y)),
                      CPC=float(common_part_of_commuters(y, yhat)))
with open("radiation.json", "w") as out:
    json.dump(dict(meta=dict(source="scikit-mobility 1.3.1 Radiation._get_flows; korea-interregional 2020, dist_centroid_km, origin_pop_millions"),
                   flows=flows, statistics=stats), out, indent=1)
print("wrote austria.csv, spint.json (%d models), radiation.json (%d flows)" % (len(models), len(flows)))
