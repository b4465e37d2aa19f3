# References for Steppe's margin fitting (SteppeModels/Flows/MarginFitting.swift) from R's
# migest itself (version printed into the JSON): cm2 and ipf2 on Willekens (1999)'s 2 × 2
# example and migest's 4 × 4 example, net_matrix_ipf on migest's net example (at its
# default tolerance and at 1e-12, the fixed point the KL-entropy solution shares).
# Run: Rscript migest_make_reference.R  (writes migest_reference.json; needs jsonlite)
library(migest)
library(jsonlite)
m2 <- matrix(c(5, 1, 2, 7), ncol = 2)
m4 <- matrix(c(0, 100, 30, 70, 50, 0, 45, 5, 60, 35, 0, 40, 20, 25, 20, 0), nrow = 4, byrow = TRUE)
rows4 <- c(250, 100, 140, 110); cols4 <- c(150, 150, 180, 120)
net <- c(30, 40, -15, -55)
count_cm2 <- function(row_tot, col_tot, m) {
  # cm2's loop, counted (cm2 does not return its iterations): the same updates and stop.
  alpha <- rep(1, nrow(m)); beta <- rep(1, ncol(m)); it <- 0; d <- 1
  while (d > 1e-6 && it < 499) {
    a0 <- alpha; for (i in seq_along(alpha)) alpha[i] <- row_tot[i] / sum(beta * m[i, ])
    b0 <- beta; for (j in seq_along(beta)) beta[j] <- col_tot[j] / sum(alpha * m[, j])
    d <- max(abs(c(a0 - alpha, b0 - beta))); it <- it + 1
  }
  it
}
cm_2 <- cm2(c(18, 20), c(16, 22), m2, verbose = FALSE)
cm_4 <- cm2(rows4, cols4, m4, verbose = FALSE)
ipf_2 <- ipf2(c(18, 20), c(16, 22), m2)
ipf_4 <- ipf2(rows4, cols4, m4, tol = 1e-12, maxit = 10000)
net_default <- net_matrix_ipf(net, m4)
net_tight <- net_matrix_ipf(net, m4, tol = 1e-13, maxit = 100000)
out <- list(
  migest = as.character(packageVersion("migest")),
  cm2_2 = list(flows = cm_2$n, alpha = unname(cm_2$theta[1:2]), beta = unname(cm_2$theta[3:4]),
               iterations = count_cm2(c(18, 20), c(16, 22), m2)),
  cm2_4 = list(flows = cm_4$n, alpha = unname(cm_4$theta[1:4]), beta = unname(cm_4$theta[5:8]),
               iterations = count_cm2(rows4, cols4, m4)),
  ipf2_2 = list(flows = ipf_2$mu, iterations = ipf_2$it),
  ipf2_4 = list(flows = ipf_4$mu, iterations = ipf_4$it),
  net_ipf_default = list(flows = net_default$n, iterations = net_default$it),
  net_ipf_tight = list(flows = net_tight$n, iterations = net_tight$it))
writeLines(toJSON(out, digits = NA, matrix = "rowmajor", auto_unbox = TRUE, pretty = TRUE), "migest_reference.json")
