# Reference numbers of `ExtremeBounds` (steppe sensitivity eba) from R's ExtremeBounds.
#
# Needs: R (Debian r-base-core 4.2), the Formula and sandwich packages (r-cran-formula,
# r-cran-sandwich) and ExtremeBounds 0.1.7 (Hlavac 2016, JSS 72(9); GPL >= 2; CRAN, not in
# Debian: R CMD INSTALL its source package). The data are R's mtcars (R's datasets package,
# part of R, GPL-2 | GPL-3; from Henderson & Velleman 1981, Motor Trend 1974).
# Writes, beside this script:
# - eba_mtcars.csv: mtcars with the car's name as a first column `model`.
# - eba_reference_r.json: eba()'s results for the cases below, at full precision.
#
# Cases:
# - paper: the "sophisticated EBA" of Hlavac (2016), section 4.2: free wt; focus cyl, carb,
#   disp, hp; doubtful vs, drat, wt, qsec, gear, am; exclusive {cyl, carb, disp, hp} and
#   {am, gear}; vif = 7; White (HC0) standard errors; weights "lri".
# - naive: every one of cyl, disp, hp, wt, qsec focus, k = 0:4, classical standard errors.
# - r2: free am; focus wt, hp; doubtful cyl, disp, qsec, drat; k = 0:2; weights "r.squared".
# - poisson: carb by Poisson glm (converged to epsilon = 1e-13); focus hp, wt; doubtful cyl, disp, qsec; k = 0:2; weights "lri".
# - dummies: free factor(cyl) (a fixed effect); focus wt, hp; doubtful disp, qsec, drat;
#   k = 0:2; vif = 4; weights "lri".
#
# Run: Rscript eba_make_reference.R
suppressMessages({ library(ExtremeBounds); library(sandwich) })

se.robust <- function(model.object) sqrt(diag(vcovHC(model.object, type = "HC")))

num <- function(x) if (is.na(x) || !is.finite(x)) "null" else sprintf("%.17g", x)

case.json <- function(e) {
  b <- e$bounds; w <- e$coefficients$weighted.mean
  rows <- sapply(rownames(b), function(v) {
    sprintf(paste0('{"term": "%s", "type": "%s", "regressions": %d, "coefficientsUsed": %d, ',
                   '"weightedMean": %s, "weightedStdError": %s, "weightedVariance": %s, ',
                   '"shareNegative": %s, "sharePositive": %s, "shareSignificantNegative": %s, ',
                   '"shareSignificantPositive": %s, "leamerLow": %s, "leamerHigh": %s, "leamerRobust": %s, ',
                   '"cdfNormalBelowZero": %s, "cdfGenericBelowZero": %s}'),
            v, b[v, "type"], as.integer(e$nreg.variable[v]), as.integer(e$ncoef.variable[v]),
            num(w[v, "beta"]), num(w[v, "se"]), num(w[v, "var"]),
            num(b[v, "beta.below.mu"]), num(b[v, "beta.above.mu"]), num(b[v, "beta.significant.below.mu"]),
            num(b[v, "beta.significant.above.mu"]), num(b[v, "leamer.lower"]), num(b[v, "leamer.upper"]),
            tolower(as.character(b[v, "leamer.robust"])), num(b[v, "cdf.mu.normal"]), num(b[v, "cdf.mu.generic"]))
  })
  sprintf('{"combinations": %d, "regressions": %d, "variables": [\n  %s]}', as.integer(e$ncomb), as.integer(e$nreg),
          paste(rows, collapse = ",\n  "))
}

run <- function(...) suppressMessages(eba(data = mtcars, ...))

cases <- list(
  paper = run(y = "mpg", free = "wt", doubtful = c("vs", "drat", "wt", "qsec", "gear", "am", "cyl", "carb", "disp", "hp"),
              focus = c("cyl", "carb", "disp", "hp"),
              exclusive = list(c("cyl", "carb", "disp", "hp"), c("am", "gear")),
              vif = 7, se.fun = se.robust, weights = "lri"),
  naive = run(y = "mpg", doubtful = c("cyl", "disp", "hp", "wt", "qsec"), k = 0:4),
  r2 = run(y = "mpg", free = "am", doubtful = c("cyl", "disp", "qsec", "drat", "wt", "hp"), focus = c("wt", "hp"),
           k = 0:2, weights = "r.squared"),
  poisson = run(y = "carb", doubtful = c("cyl", "disp", "qsec", "hp", "wt"), focus = c("hp", "wt"), k = 0:2,
                reg.fun = glm, family = poisson, control = glm.control(epsilon = 1e-13, maxit = 100), weights = "lri"),
  dummies = run(y = "mpg", free = "factor(cyl)", doubtful = c("disp", "qsec", "drat", "wt", "hp"), focus = c("wt", "hp"),
                k = 0:2, vif = 4, weights = "lri")
)

here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))))
data <- cbind(model = rownames(mtcars), mtcars)
write.csv(data, file.path(here, "eba_mtcars.csv"), row.names = FALSE, quote = TRUE)
body <- paste(sprintf('"%s": %s', names(cases), sapply(cases, case.json)), collapse = ",\n")
writeLines(paste0('{"source": "R ', getRversion(), ', ExtremeBounds ', packageVersion("ExtremeBounds"), '",\n', body, "\n}"),
           file.path(here, "eba_reference_r.json"))
