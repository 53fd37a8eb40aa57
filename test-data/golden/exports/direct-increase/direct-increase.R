# Export direct-increase
# nlmixr2 model exported by QPKPD Studio: oral 1-compartment, direct effect (increase).
# Data: direct-increase.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("direct-increase.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(30) # V (L)
    tka <- log(1.2) # KA (1/h)
    te0 <- 10 # E0 (score)
    temax <- 40 # EMAX (score)
    emax.sex <- c(0, 1.3) # EMAX~SEX (factor)
    tec50 <- log(2) # EC50 (mg/L)
    eta.cl ~ 0.09
    eta.ec50 ~ 0.09
    pk.sd <- c(0, 0.2)
    pd.add <- c(0, 1.5)
  })
  model({
    tvcl <- exp(tcl)
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)
    v <- tvv
    tvka <- exp(tka)
    ka <- tvka
    tve0 <- te0
    e0 <- tve0
    tvemax <- temax*(emax.sex)^(SEX)
    emax <- tvemax
    tvec50 <- exp(tec50)
    ec50 <- tvec50*exp(eta.ec50)
    vc <- v
    k10 <- cl/v
    cpd <- central/vc
    d/dt(depot) <- -ka*depot
    d/dt(central) <- ka*depot - k10*central
    cp <- central/vc
    eff <- e0 + emax*cp/(ec50 + cp)
    cp ~ lnorm(pk.sd)
    eff ~ add(pd.add)
  })
}
