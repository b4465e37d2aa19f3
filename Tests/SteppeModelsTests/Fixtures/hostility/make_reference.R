# Reference fits for NumericalHostilityTests (R's lm, glm and MASS::glm.nb).
# Usage: Rscript make_reference.R    (writes hostility.csv beside this script and prints
# the reference numbers that NumericalHostilityTests.swift embeds).
# Every column is written with 17 significant digits so that Steppe reads R's exact doubles.
suppressMessages(library(MASS))
options(digits = 17)
here <- tryCatch(dirname(normalizePath(sys.frame(1)$ofile)), error = function(e) getwd())
tight <- glm.control(epsilon = 1e-16, maxit = 1000)

set.seed(20261201)
n <- 60
x1 <- rnorm(n)
x2 <- runif(n)
mu <- exp(1 + 0.5 * x1 - 0.8 * x2)
# Underdispersed counts (binomial, variance below the mean): the negative binomial's θ̂ is ∞.
ycount <- rbinom(n, size = 40, prob = mu / 40)
ylin <- 2 + 3 * x1 - 1.5 * x2 + rnorm(n)
ypos <- rgamma(n, shape = 2, rate = 2 / exp(0.3 + 0.4 * x1 + 0.6 * x2))
w <- 10^seq(-12, 12, length.out = n)[sample(n)]       # weights from 1e-12 to 1e12
# Near-separation: y > 0 only for small s (one y = 1 at s = 6 keeps it from being separated);
# the fitted mean at the largest s is about 1e-20.
s <- seq(0, 40, length.out = n)
ysep <- rpois(n, exp(3 - 1.6 * s))
ysep[s > 6] <- 0
ysep[which.min(abs(s - 6))] <- 1                       # keeps the data from being separated
# Gamma with outcomes near zero among ordinary ones.
ymixed <- ypos
ymixed[c(5, 17, 33)] <- c(1e-300, 1e-200, 1e-100)
# Underdispersed counts for the negative binomial (binomial, variance below the mean):
# the profile likelihood of θ rises for ever, θ̂ = ∞ (the Poisson model).
ynb <- rbinom(n, size = 10, prob = pmin(mu, 9.5) / 10)

d <- data.frame(x1, x2, ycount, ylin, ypos, w, s, ysep, ymixed, ynb,
                x1big = x1 * 1e300, x2big = x2 * 1e300, x1tiny = x1 * 1e-300, x2tiny = x2 * 1e-300,
                ylinbig = ylin * 1e300, ylintiny = ylin * 1e-300,
                ycountbig = ycount * 1e300, ycounttiny = ycount * 1e-300, ypostiny = ypos * 1e-300)
lines <- c(paste(names(d), collapse = ","),
           apply(d, 1, function(r) paste(sprintf("%.17g", r), collapse = ",")))
writeLines(lines, file.path(here, "hostility.csv"))

emit <- function(key, fit, note = "") {
  cf <- coef(fit)
  cat(sprintf('    "%s": [%s], // %s\n', key, paste(sprintf("%.17g", cf), collapse = ", "), note))
}
tryfit <- function(key, expr) {
  r <- tryCatch(withCallingHandlers(expr, warning = function(w) {
    cat(sprintf("    // %s: R warns: %s\n", key, conditionMessage(w))); invokeRestart("muffleWarning") }),
    error = function(e) { cat(sprintf("    // %s: R fails: %s\n", key, conditionMessage(e))); NULL })
  r
}

cat("// Coefficients in formula order (intercept first).\n")
f <- tryfit("ols_base", lm(ylin ~ x1 + x2, d)); emit("ols_base", f)
f <- tryfit("ols_big", lm(ylinbig ~ x1big + x2big, d)); if (!is.null(f)) emit("ols_big", f, "lm on everything x 1e300")
f <- tryfit("ols_tiny", lm(ylintiny ~ x1tiny + x2tiny, d)); if (!is.null(f)) emit("ols_tiny", f, "lm on everything x 1e-300")
f <- tryfit("wls_wide", lm(ylin ~ x1 + x2, d, weights = w)); emit("wls_wide", f, "weights 1e-12..1e12")
f <- tryfit("pois_base", glm(ycount ~ x1 + x2, poisson, d, control = tight)); emit("pois_base", f)
f <- tryfit("pois_ybig", glm(ycountbig ~ x1 + x2, quasipoisson, d, control = tight)); if (!is.null(f)) emit("pois_ybig", f, "y x 1e300")
f <- tryfit("pois_ytiny", glm(ycounttiny ~ x1 + x2, quasipoisson, d, control = tight)); if (!is.null(f)) emit("pois_ytiny", f, "y x 1e-300, R at epsilon 1e-16")
f <- tryfit("pois_ytiny_default", glm(ycounttiny ~ x1 + x2, quasipoisson, d)); if (!is.null(f)) emit("pois_ytiny_default", f, "y x 1e-300, R's default epsilon 1e-8")
f <- tryfit("pois_xbig", glm(ycount ~ x1big + x2big, poisson, d, control = tight)); if (!is.null(f)) emit("pois_xbig", f, "x x 1e300")
f <- tryfit("pois_xtiny", glm(ycount ~ x1tiny + x2tiny, poisson, d, control = tight)); if (!is.null(f)) emit("pois_xtiny", f, "x x 1e-300")
f <- tryfit("pois_wide", glm(ycount ~ x1 + x2, quasipoisson, d, weights = w, control = tight)); emit("pois_wide", f, "weights 1e-12..1e12")
f <- tryfit("pois_nearsep", glm(ysep ~ s, poisson, d, control = tight)); emit("pois_nearsep", f, sprintf("min fitted %.3g", min(fitted(f))))
f <- tryfit("gamma_base", glm(ypos ~ x1 + x2, Gamma(link = "log"), d, control = tight)); emit("gamma_base", f)
f <- tryfit("gamma_tiny", glm(ypostiny ~ x1 + x2, Gamma(link = "log"), d, control = tight)); if (!is.null(f)) emit("gamma_tiny", f, "y x 1e-300")
f <- tryfit("gamma_mixed", glm(ymixed ~ x1 + x2, Gamma(link = "log"), d, control = tight)); if (!is.null(f)) emit("gamma_mixed", f, "three y at 1e-300, 1e-200, 1e-100")
f <- tryfit("negbin_poisson_data", glm.nb(ycount ~ x1 + x2, d)); if (!is.null(f)) emit("negbin_poisson_data", f, sprintf("theta %.6g", f$theta))
f <- tryfit("negbin_underdispersed", glm.nb(ynb ~ x1 + x2, d)); if (!is.null(f)) emit("negbin_underdispersed", f, sprintf("theta %.6g", f$theta))
f <- tryfit("pois_underdispersed", glm(ynb ~ x1 + x2, poisson, d, control = tight)); emit("pois_underdispersed", f, "the limit theta -> infinity")
cat(sprintf("    // Pearson dispersion of that Poisson fit: %.6f (below 1: underdispersed)\n", sum(residuals(f, "pearson")^2) / f$df.residual))

# Exact answers where R's glm fails or stops early. Scaling y by c shifts only the intercept
# of a log-link model, by log(c); scaling a regressor by c divides its coefficient by c.
shift <- function(key, base, by) cat(sprintf('    "%s_exact": [%s], // from the base fit\n', key,
                                          paste(sprintf("%.17g", coef(base) + c(by, 0, 0)), collapse = ", ")))
pb <- glm(ycount ~ x1 + x2, poisson, d, control = tight)
gb <- glm(ypos ~ x1 + x2, Gamma(link = "log"), d, control = tight)
shift("pois_ybig", pb, log(1e300)); shift("pois_ytiny", pb, log(1e-300)); shift("gamma_tiny", gb, log(1e-300))
# Newton's method on the score of a log-link model, Σ(y − μ)x/V(μ)·μ = 0, with step-halving
# on the deviance, run until the step is rounding: the exact MLE where glm stops early or
# clamps μ (R's poisson()$linkinv is max(exp(η), 2.2e-16)).
newton <- function(X, y, b, family) {
  V <- if (family == "gamma") function(m) m^2 else function(m) m
  unit <- if (family == "gamma") function(m) -log(y / m) + (y - m) / m
          else function(m) ifelse(y > 0, y * log(y / m), 0) - (y - m)
  dev <- function(b) 2 * sum(unit(exp(drop(X %*% b))))
  for (it in 1:500) {
    m <- exp(drop(X %*% b)); a <- m / V(m)                 # dμ/dη / V(μ)
    score <- t(X) %*% ((y - m) * a)
    H <- t(X) %*% (X * (if (family == "gamma") y / m else m))   # observed information
    step <- drop(solve(H, score)); t <- 1
    while (dev(b + t * step) > dev(b) && t > 1e-10) t <- t / 2
    b <- b + t * step
    if (max(abs(t * step)) < 1e-15 * max(1, max(abs(b)))) break
  }
  m <- exp(drop(X %*% b))
  list(b = b, it = it, score = max(abs(t(X) %*% ((y - m) * m / V(m)))), min = min(m))
}
X <- cbind(1, d$x1, d$x2)
r <- newton(X, d$ymixed, coef(gb), "gamma")
cat(sprintf('    "gamma_mixed_newton": [%s], // %d Newton steps, max |score| %.3g\n', paste(sprintf("%.17g", r$b), collapse = ", "), r$it, r$score))
r <- newton(cbind(1, d$s), d$ysep, c(3, -1.5), "poisson")
cat(sprintf('    "pois_nearsep_newton": [%s], // %d Newton steps, max |score| %.3g, min fitted %.3g\n',
            paste(sprintf("%.17g", r$b), collapse = ", "), r$it, r$score, r$min))

# The negative binomial's θ̂ by profile likelihood: for fixed θ the glm at 1e-16, ℓ(θ) from
# dnbinom, maximised over log θ. For ynb, ℓ rises for ever (θ̂ = ∞); for ycount, θ̂ is finite.
profile <- function(y, theta) {
  f <- glm(y ~ x1 + x2, negative.binomial(theta), d, control = tight)
  list(ll = sum(dnbinom(y, size = theta, mu = fitted(f), log = TRUE)), coef = coef(f))
}
for (v in c("ycount", "ynb")) {
  y <- d[[v]]
  ll <- sapply(10^(2:9), function(t) profile(y, t)$ll)
  cat(sprintf("    // %s: profile loglik at theta = 1e2..1e9: %s\n", v, paste(sprintf("%.12f", ll), collapse = ", ")))
  o <- optimize(function(lt) -profile(y, exp(lt))$ll, c(log(10), log(1e9)), tol = 1e-12)
  p <- profile(y, exp(o$minimum))
  cat(sprintf('    "negbin_%s_profile": [%s], // theta %.10g, loglik %.12f\n', v,
              paste(sprintf("%.17g", p$coef), collapse = ", "), exp(o$minimum), p$ll))
}
