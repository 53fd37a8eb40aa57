# Independent peer of the FOCE-I fit (issue 15): R's nlme fits theophylline (test-data/real/theo_sd.csv)
# with the model src/pkpd/population/testing/nlme-peer.ts fits with ours: one compartment, first-order
# absorption, CL, V and KA log-normal with a diagonal Ω, additive residual error, maximum likelihood.
#
#   Rscript scripts/peer/nlme-theophylline.R [path/to/theo_sd.csv]
#
# Prints one JSON object (written with base R: no jsonlite): typical values exp(fixed effect), the SDs
# of the random effects (the log scale: the ω of log-normal η), the residual SD, the log-likelihood.
# Observations at the dose time (t = 0) are left out, as our fit leaves them out (the model predicts
# no drug there). Needs Debian's r-base-core and r-cran-nlme; exits with status 3 without nlme.
if (!requireNamespace("nlme", quietly = TRUE)) {
  message("The R package nlme is not installed (Debian: apt-get install r-cran-nlme).")
  quit(status = 3)
}
suppressPackageStartupMessages(library(nlme))

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[[1]] else "test-data/real/theo_sd.csv"
raw <- read.csv(path)

# One oral dose per subject (EVID 101, CMT 1 depot), at time 0; concentrations (EVID 0, CMT 2) after it.
doses <- raw[raw$EVID != 0, c("ID", "TIME", "AMT")]
stopifnot(!any(duplicated(doses$ID)), all(doses$TIME == 0))
obs <- raw[raw$EVID == 0 & raw$TIME > 0, c("ID", "TIME", "DV")]
obs$DOSE <- doses$AMT[match(obs$ID, doses$ID)]
obs <- groupedData(DV ~ TIME | ID, data = obs)

# C(t) = D·KA / (V·(KA − CL/V)) · (e^(−CL/V·t) − e^(−KA·t)), parameters on the log scale.
oral1 <- function(dose, time, lCL, lV, lKA) {
  cl <- exp(lCL)
  v <- exp(lV)
  ka <- exp(lKA)
  ke <- cl / v
  dose * ka / (v * (ka - ke)) * (exp(-ke * time) - exp(-ka * time))
}

fit <- nlme(
  DV ~ oral1(DOSE, TIME, lCL, lV, lKA),
  data = obs,
  fixed = lCL + lV + lKA ~ 1,
  random = pdDiag(lCL + lV + lKA ~ 1),
  start = c(lCL = log(3), lV = log(30), lKA = log(1.5)),
  method = "ML",
  control = nlmeControl(maxIter = 200, msMaxIter = 200, pnlsTol = 1e-6, tolerance = 1e-8)
)

fe <- fixef(fit)
sds <- as.numeric(VarCorr(fit)[c("lCL", "lV", "lKA"), "StdDev"])
ll <- as.numeric(logLik(fit))
num <- function(x) sprintf("%.10g", x)
cat(sprintf(
  paste0(
    "{\n",
    "  \"peer\": \"R %s, nlme %s, method ML\",\n",
    "  \"subjects\": %d,\n",
    "  \"observations\": %d,\n",
    "  \"typical\": { \"CL\": %s, \"V\": %s, \"KA\": %s },\n",
    "  \"omegaSd\": { \"CL\": %s, \"V\": %s, \"KA\": %s },\n",
    "  \"residualSd\": %s,\n",
    "  \"logLik\": %s,\n",
    "  \"minus2LogLik\": %s\n",
    "}\n"
  ),
  paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("nlme")),
  length(unique(obs$ID)), nrow(obs),
  num(exp(fe[["lCL"]])), num(exp(fe[["lV"]])), num(exp(fe[["lKA"]])),
  num(sds[1]), num(sds[2]), num(sds[3]),
  num(fit$sigma), num(ll), num(-2 * ll)
))
