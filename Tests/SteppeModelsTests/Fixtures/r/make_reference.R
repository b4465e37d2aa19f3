# Reference fits for SteppeModels from R's own glm/lm (R 4.2.2 on Debian; packages sandwich 3.0-2, MASS 7.3-58).
# Usage: Rscript make_reference.R     (writes the datasets as CSV and reference.json beside this script)
# The datasets ship with R (datasets, MASS). Every number the tests compare is computed here.
suppressMessages({ library(sandwich); library(MASS) })
options(warn = -1)  # "algorithm did not converge" at epsilon = 1e-16 only means rounding was reached
# Every glm runs to epsilon = 1e-16, that is until rounding stops it: at R's default (1e-8)
# the reference itself would carry errors of 1e-6 in Gamma coefficients (IRLS converges only
# linearly with a non-canonical link, and the deviance criterion stops it early) and 1e-7 in
# standard errors; even at 1e-13 the Gamma coefficients are off the exact MLE by 2e-8.
# At 1e-16 they agree with Newton's method on the score to 16 digits.
tight <- glm.control(epsilon = 1e-16, maxit = 1000)
options(digits = 17)
here <- tryCatch(dirname(normalizePath(sys.frame(1)$ofile)), error = function(e) getwd())
out <- list()

write_data <- function(df, name) {
  write.csv(df, file.path(here, paste0(name, ".csv")), row.names = FALSE)
}

summarise <- function(fit, cluster = NULL, extra = list()) {
  res <- list(
    coefficients = as.list(coef(fit)),
    se_model = as.list(sqrt(diag(vcov(fit)))),
    se_hc0 = as.list(sqrt(diag(vcovHC(fit, type = "HC0")))),
    se_hc1 = as.list(sqrt(diag(vcovHC(fit, type = "HC1")))),
    nobs = nobs(fit),
    loglik = as.numeric(logLik(fit)),
    aic = AIC(fit)
  )
  if (inherits(fit, "glm")) {
    res$deviance <- deviance(fit)
    res$null_deviance <- fit$null.deviance
    res$dispersion <- summary(fit)$dispersion
  } else {
    res$r_squared <- summary(fit)$r.squared
    res$adj_r_squared <- summary(fit)$adj.r.squared
    res$sigma <- summary(fit)$sigma
  }
  if (!is.null(cluster)) {
    res$se_cluster_hc1 <- as.list(sqrt(diag(vcovCL(fit, cluster = cluster, type = "HC1", cadjust = TRUE))))
    res$se_cluster_hc0 <- as.list(sqrt(diag(vcovCL(fit, cluster = cluster, type = "HC0", cadjust = TRUE))))
  }
  if (inherits(fit, "lm") && !inherits(fit, "glm")) {
    res$se_hc2 <- as.list(sqrt(diag(vcovHC(fit, type = "HC2"))))
    res$se_hc3 <- as.list(sqrt(diag(vcovHC(fit, type = "HC3"))))
  }
  c(res, extra)
}

# ChickWeight: 578 weighings of 50 chicks on 4 diets.
cw <- as.data.frame(ChickWeight)
cw$Chick <- as.character(cw$Chick); cw$Diet <- as.character(cw$Diet)
write_data(cw[, c("weight", "Time", "Chick", "Diet")], "chickweight")
out$chick_poisson <- summarise(glm(weight ~ Time + Diet, family = poisson, data = cw, control = tight), cluster = ~Chick)
out$chick_gamma <- summarise(glm(weight ~ Time + Diet, family = Gamma(link = "log"), data = cw, control = tight), cluster = ~Chick)
out$chick_gaussian_glm <- summarise(glm(weight ~ Time + Diet, family = gaussian, data = cw, control = tight), cluster = ~Chick)
out$chick_ols <- summarise(lm(weight ~ Time + Diet, data = cw), cluster = ~Chick)
# Fixed effects as explicit dummies: the reference for absorbed fixed effects.
fe_pois <- glm(weight ~ Time + factor(Chick), family = poisson, data = cw, control = tight)
out$chick_poisson_dummies <- list(coefficients = list(Time = unname(coef(fe_pois)["Time"])),
                                  se_model = list(Time = unname(sqrt(diag(vcov(fe_pois)))["Time"])),
                                  deviance = deviance(fe_pois), loglik = as.numeric(logLik(fe_pois)), nobs = nobs(fe_pois))
fe_ols <- lm(weight ~ Time + I(Time^2) + factor(Chick), data = cw)
out$chick_ols_dummies <- list(coefficients = as.list(coef(fe_ols)[c("Time", "I(Time^2)")]),
                              se_model = as.list(sqrt(diag(vcov(fe_ols)))[c("Time", "I(Time^2)")]),
                              rss = sum(residuals(fe_ols)^2), nobs = nobs(fe_ols))

# Insurance (MASS): claims with an exposure offset.
ins <- as.data.frame(Insurance)
# Group and Age are ordered factors in MASS; as plain text with a numeric prefix their levels
# sort the same in R (whose collation puts symbols before digits) and in Steppe (code points).
ins$District <- as.character(ins$District)
ins$Group <- paste0(as.integer(ins$Group), "_", as.character(ins$Group))
ins$Age <- paste0(as.integer(ins$Age), "_", as.character(ins$Age))
write_data(ins, "insurance")
out$insurance_poisson <- summarise(glm(Claims ~ District + Group + Age + offset(log(Holders)), family = poisson, data = ins, control = tight),
                                   cluster = ~District)

# quine (MASS): days absent; the classic negative binomial example.
qu <- as.data.frame(quine)
for (v in c("Eth", "Sex", "Age", "Lrn")) qu[[v]] <- as.character(qu[[v]])
write_data(qu, "quine")
nbq <- glm.nb(Days ~ Eth + Sex + Age + Lrn, data = qu, control = tight)
out$quine_negbin <- summarise(nbq, extra = list(theta = nbq$theta))

# warpbreaks: interactions of two factors.
wb <- as.data.frame(warpbreaks)
wb$wool <- as.character(wb$wool); wb$tension <- as.character(wb$tension)
write_data(wb, "warpbreaks")
out$warpbreaks_poisson <- summarise(glm(breaks ~ wool * tension, family = poisson, data = wb, control = tight))

# mtcars: weighted least squares and a numeric-by-factor interaction.
mt <- mtcars
mt$car <- rownames(mtcars)
write_data(mt, "mtcars")
out$mtcars_wls <- summarise(lm(mpg ~ wt + hp + I(hp^2), data = mt, weights = 1 / disp), cluster = ~cyl)
out$mtcars_interaction <- summarise(lm(mpg ~ wt * factor(cyl), data = mt))

out$R_version <- R.version.string
out$packages <- list(sandwich = as.character(packageVersion("sandwich")), MASS = as.character(packageVersion("MASS")))
json <- function(x) {
  if (is.list(x)) {
    if (!is.null(names(x))) {
      parts <- mapply(function(k, v) paste0("\"", k, "\":", json(v)), names(x), x)
      return(paste0("{", paste(parts, collapse = ","), "}"))
    }
    return(paste0("[", paste(sapply(x, json), collapse = ","), "]"))
  }
  if (is.character(x)) return(paste0("\"", x, "\""))
  if (length(x) > 1) return(paste0("[", paste(sapply(x, json), collapse = ","), "]"))
  formatC(x, digits = 17, format = "g")
}
writeLines(json(out), file.path(here, "reference.json"))
cat("wrote reference.json\n")
