"""Reference for Steppe's radiation model with distances from region coordinates.

Run from this directory:  python3 radiation_coordinates.py
Needs: scikit-mobility 1.3.1 (pip install --no-deps scikit-mobility), geopandas, shapely,
numpy (the shim below supplies shapely.ops.cascaded_union, which shapely 2 renamed
unary_union and scikit-mobility 1.3.1 still imports).

Reads:
  cities.csv         six Kazakh cities: region, latitude, longitude, population (2023,
                     rounded; the populations only weight the model).
  cities_flows.csv   made-up flows between them (origin, destination, flow, pop_o, pop_d),
                     with the pairs Aktobe -> Pavlodar and Pavlodar -> Aktobe left out, so
                     that the model must take the distance to a region it has no row for.

Writes radiation_coordinates.json:
  flows       for each pair of cities_flows.csv, scikit-mobility's own prediction:
              Radiation().generate(tessellation of the cities' points, relevance =
              population, out_format="probabilities") -- haversine distances between the
              points, s_ij the population strictly closer to i than j, the finite-size
              factor 1/(1 - m_i/M) -- times the origin's outflow T_i (the sum of its flows
              in the file), and the same without the finite-size factor ("plain");
  distances   scikit-mobility's haversine distance (gislib.getDistanceByHaversine, R =
              6371.0 km) for every pair, and the same rescaled to Steppe's R = 6371.0088 km;
  statistics  SSI, SRMSE and scikit-mobility's common part of commuters of both versions
              on the pairs of the file.
"""
import csv
import json

import numpy as np
import shapely.ops

shapely.ops.cascaded_union = shapely.ops.unary_union  # scikit-mobility 1.3.1 on shapely 2

import geopandas as gpd
from shapely.geometry import Point
import skmob
from skmob.models.radiation import Radiation
from skmob.utils import gislib
from skmob.measures.evaluation import common_part_of_commuters

cities = list(csv.DictReader(open("cities.csv")))
names = [c["region"] for c in cities]
flows = list(csv.DictReader(open("cities_flows.csv")))
outflow = {n: 0.0 for n in names}
for f in flows:
    outflow[f["origin"]] += float(f["flow"])

tessellation = gpd.GeoDataFrame(
    dict(tile_ID=names, population=[float(c["population"]) for c in cities]),
    geometry=[Point(float(c["longitude"]), float(c["latitude"])) for c in cities], crs="EPSG:4326")
generated = Radiation().generate(tessellation, tile_id_column="tile_ID", relevance_column="population",
                                 out_format="probabilities")
probability = {(r.origin, r.destination): float(r.flow) for r in generated.itertuples()}
population = {c["region"]: float(c["population"]) for c in cities}
M = sum(population.values())

out = []
for f in flows:
    o, d = f["origin"], f["destination"]
    finite = outflow[o] * probability[(o, d)]
    out.append(dict(origin=o, destination=d, observed=float(f["flow"]), finiteSize=finite,
                    plain=finite * (1 - population[o] / M)))

position = {c["region"]: (float(c["latitude"]), float(c["longitude"])) for c in cities}
distances = []
for o in names:
    for d in names:
        if o != d:
            km = gislib.getDistanceByHaversine(position[o], position[d])
            distances.append(dict(origin=o, destination=d, skmob=km, steppeRadius=km * 6371.0088 / gislib.earthradius))

y = np.array([e["observed"] for e in out])
statistics = {}
for key in ("finiteSize", "plain"):
    yhat = np.array([e[key] for e in out])
    statistics[key] = dict(SSI=float(np.mean(2 * np.minimum(y, yhat) / (y + yhat))),
                           SRMSE=float(np.sqrt(np.mean((y - yhat) ** 2)) / np.mean(y)),
                           CPC=float(common_part_of_commuters(y, yhat)))

meta = dict(source="scikit-mobility %s Radiation().generate(out_format='probabilities') on the points of cities.csv"
            % getattr(skmob, "__version__", "1.3.1"), earthRadius=gislib.earthradius)
with open("radiation_coordinates.json", "w") as fh:
    json.dump(dict(meta=meta, flows=out, distances=distances, statistics=statistics), fh, indent=1)
print("wrote radiation_coordinates.json (%d flows, %d distances)" % (len(out), len(distances)))
