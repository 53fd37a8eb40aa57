# Export direct-decrease-sigmoid
# nlmixr2 model exported by QPKPD Studio: IV 1-compartment, direct effect (decrease, sigmoid).
# Data: direct-decrease-sigmoid.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("direct-decrease-sigmoid.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(30) # V (L)
    te0 <- 100 # E0 (score)
    timax <- c(0, 0.8, 1) # IMAX
    tic50 <- log(2) # IC50 (mg/L)
    thill <- log(2.5) # HILL
    eta.cl ~ 0.09
    eta.e0 ~ 0.010000000000000002
    eta.imax ~ 0.25
    pk.sd <- c(0, 0.2)
    pd.prop <- c(0, 0.1)
  })
  model({
    tvcl <- exp(tcl)
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)
    v <- tvv
    tve0 <- te0
    e0 <- tve0*exp(eta.e0)
    tvimax <- timax
    imax <- 1/(1 + exp(-(log(tvimax/(1 - tvimax)) + eta.imax)))
    tvic50 <- exp(tic50)
    ic50 <- tvic50
    tvhill <- exp(thill)
    hill <- tvhill
    vc <- v
    k10 <- cl/v
    cpd <- central/vc
    d/dt(central) <- -k10*central
    cp <- central/vc
    eff <- e0*(1 - imax*(cp)^(hill)/((ic50)^(hill) + (cp)^(hill)))
    cp ~ lnorm(pk.sd)
    eff ~ prop(pd.prop)
  })
}
