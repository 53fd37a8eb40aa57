# Export effect-compartment
# nlmixr2 model exported by QPKPD Studio: oral 1-compartment, effect-compartment effect (increase).
# Data: effect-compartment.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("effect-compartment.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(30) # V (L)
    tka <- log(1.2) # KA (1/h)
    te0 <- 5 # E0 (score)
    temax <- 30 # EMAX (score)
    tec50 <- log(1.5) # EC50 (mg/L)
    tke0 <- log(0.3) # KE0 (1/h)
    ke0.age <- 0.01 # KE0~AGE (linear)
    eta.cl ~ 0.09
    eta.ke0 ~ 0.16000000000000003
    pk.sd <- c(0, 0.2)
    pd.add <- c(0, 1)
    pd.prop <- c(0, 0.05)
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
    tvemax <- temax
    emax <- tvemax
    tvec50 <- exp(tec50)
    ec50 <- tvec50
    tvke0 <- exp(tke0)*(1 + ke0.age*(AGE - 50))
    ke0 <- tvke0*exp(eta.ke0)
    vc <- v
    k10 <- cl/v
    cpd <- central/vc
    d/dt(depot) <- -ka*depot
    d/dt(central) <- ka*depot - k10*central
    d/dt(effect) <- ke0*(cpd - effect)
    cp <- central/vc
    eff <- e0 + emax*effect/(ec50 + effect)
    cp ~ lnorm(pk.sd)
    eff ~ add(pd.add) + prop(pd.prop) + combined2()
  })
}
