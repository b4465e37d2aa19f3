# References for IndicesTests: R migest 2.0.5's index_intensity, index_impact,
# index_connectivity and index_distance (which call migration.indices 0.3.0 and
# matrixStats), run on
#   (a) migest's documented examples: korea_gravity, every year 2012-2020, populations
#       dest_pop * 1e6 and distances dist_cent, exactly as the man pages call them;
#   (b) Steppe's bundled netherlands-corop matrix (Datasets/files/netherlands-corop.csv):
#       populations destination_pop, distances distance_km, every year.
# Also the same interpolated weighted median with ties kept in data order
# (median_stable): matrixStats sorts with R's unstable quicksort, so where distances
# tie its median depends on the order it leaves tied pairs in.
#
# Run from the repository root: Rscript Tests/SteppeModelsTests/Fixtures/indices/make_migest_reference.R
suppressMessages({library(migest); library(dplyr); library(jsonlite)})

stable_median <- function(x, w) {
  k <- w > 0; x <- x[k]; w <- w[k]
  o <- order(x, method = "radix"); x <- x[o]; w <- w[o] / sum(w)
  c <- cumsum(w) - w / 2; h <- which(c >= 0.5)[1]
  if (h == 1) return(x[1])
  x[h] + (0.5 - c[h]) / (c[h] - c[h - 1]) * (x[h] - x[h - 1])
}

one_year <- function(d, pop, dist) {
  # d: orig, dest, flow, pop (destination's), dist; all pairs of the year.
  m <- d %>% filter(orig != dest) %>% select(orig, dest, flow)
  p <- d %>% distinct(dest, pop)
  dd <- d %>% select(orig, dest, flow, dist)
  n <- nrow(p)
  i1 <- index_intensity(mig_total = sum(m$flow), pop_total = sum(p$pop), n = n, long = FALSE)
  i2 <- index_impact(m = m, p = p, pop = "pop", reg = "dest", long = FALSE)
  i3 <- d %>% select(orig, dest, flow) %>% index_connectivity(long = FALSE)
  i4 <- index_distance(m = dd, d = dd, dist = "dist", long = FALSE)
  off <- dd %>% filter(orig != dest)
  list(year = d$year[1], regions = n,
       intensity = as.list(i1), impact = as.list(i2), connectivity = as.list(i3),
       distance = c(as.list(i4), list(median_stable = stable_median(off$dist, off$flow))))
}

korea <- korea_gravity %>%
  transmute(year, orig = as.character(orig), dest = as.character(dest), flow,
            pop = dest_pop * 1e6, dist = dist_cent)
nl <- read.csv("Datasets/files/netherlands-corop.csv", stringsAsFactors = FALSE) %>%
  transmute(year, orig = origin, dest = destination, flow, pop = destination_pop, dist = distance_km)

out <- list(
  generator = "Tests/SteppeModelsTests/Fixtures/indices/make_migest_reference.R",
  versions = list(R = R.version.string, migest = as.character(packageVersion("migest")),
                  migration.indices = as.character(packageVersion("migration.indices")),
                  matrixStats = as.character(packageVersion("matrixStats"))),
  korea = lapply(split(korea, korea$year), one_year),
  netherlands = lapply(split(nl, nl$year), one_year)
)
names(out$korea) <- NULL; names(out$netherlands) <- NULL
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "Tests/SteppeModelsTests/Fixtures/indices/migest_reference.json")
