# Reference for the default analysis of `steppe fit`, computed with R's glm and sandwich.
# Run from the repository root:
#   Rscript Tests/SteppeCLITests/Fixtures/make_r_reference.R
# (Debian: r-base-core r-cran-sandwich). Writes Tests/SteppeCLITests/Fixtures/default_fit_r.json.
# glm warns "algorithm did not converge" with epsilon = 1e-16: the deviance change cannot fall
# below 1e-16 relative, so it runs to maxit with the coefficients already at machine precision.
library(sandwich)
d <- read.csv("Datasets/files/kazakhstan-push-factors.csv")
specs <- list(
  m1 = departures ~ log(income_2020_kzt_month) + crude_birth_rate + unemployment_rate_pct + log(dist_main_km),
  m2 = departures ~ log(income_2020_kzt_month) + crude_birth_rate + log(dist_main_km) + factor(year)
)
out <- lapply(specs, function(f) {
  # PPML = Poisson quasi-likelihood; offset log(population); rows with missing values dropped as glm does.
  m <- glm(f, family = poisson(), data = d, offset = log(population), control = glm.control(epsilon = 1e-16, maxit = 100))
  v <- vcovHC(m, type = "HC1")
  list(nobs = nobs(m), coefficients = unname(coef(m)), names = names(coef(m)),
       hc1 = unname(sqrt(diag(v))), deviance = deviance(m), loglik = as.numeric(logLik(m)))
})
out$provenance <- paste("R", R.version$major, R.version$minor, "glm(poisson, offset=log(population)), sandwich",
                        as.character(packageVersion("sandwich")), "vcovHC HC1")
writeLines(jsonlite_free <- (function(x) {
  enc <- function(v) if (is.character(v)) paste0("[", paste0('"', v, '"', collapse = ","), "]") else paste0("[", paste(sprintf("%.17g", v), collapse = ","), "]")
  parts <- c()
  for (k in c("m1", "m2")) {
    m <- x[[k]]
    parts <- c(parts, sprintf('"%s": {"nobs": %d, "names": %s, "coefficients": %s, "hc1": %s, "deviance": %.17g, "loglik": %.17g}',
                              k, m$nobs, enc(m$names), enc(m$coefficients), enc(m$hc1), m$deviance, m$loglik))
  }
  paste0("{", paste(parts, collapse = ", "), ', "provenance": "', x$provenance, '"}')
})(out), "Tests/SteppeCLITests/Fixtures/default_fit_r.json")
