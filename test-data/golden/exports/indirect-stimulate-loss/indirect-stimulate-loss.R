# Export indirect-stimulate-loss
# nlmixr2 model exported by QPKPD Studio: oral 1-compartment, indirect response (stimulate-loss).
# Data: indirect-stimulate-loss.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("indirect-stimulate-loss.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(30) # V (L)
    tka <- log(1.2) # KA (1/h)
    tbase <- log(50) # BASE (score)
    tkout <- log(0.2) # KOUT (1/h)
    temax <- log(1.5) # EMAX
    tec50 <- log(2) # EC50 (mg/L)
    eta.cl ~ 0.09
    eta.base ~ 0.04000000000000001
    eta.kout ~ 0.09
    pk.sd <- c(0, 0.2)
    pd.prop <- c(0, 0.1)
  })
  model({
    tvcl <- exp(tcl)
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)
    v <- tvv
    tvka <- exp(tka)
    ka <- tvka
    tvbase <- exp(tbase)
    base <- tvbase*exp(eta.base)
    tvkout <- exp(tkout)
    kout <- tvkout*exp(eta.kout)
    tvemax <- exp(temax)
    emax <- tvemax
    tvec50 <- exp(tec50)
    ec50 <- tvec50
    vc <- v
    k10 <- cl/v
    kin <- base*kout
    cpd <- central/vc
    d/dt(depot) <- -ka*depot
    d/dt(central) <- ka*depot - k10*central
    d/dt(response) <- kin - kout*(1 + emax*cpd/(ec50 + cpd))*response
    response(0) <- base
    cp <- central/vc
    eff <- response
    cp ~ lnorm(pk.sd)
    eff ~ prop(pd.prop)
  })
}
