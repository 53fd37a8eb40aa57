# Export effect-compartment-sigmoid
# nlmixr2 model exported by QPKPD Studio: IV 1-compartment, effect-compartment effect (decrease, sigmoid).
# Data: effect-compartment-sigmoid.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("effect-compartment-sigmoid.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(30) # V (L)
    te0 <- 80 # E0 (score)
    timax <- c(0, 0.9, 1) # IMAX
    tic50 <- log(1.5) # IC50 (mg/L)
    thill <- log(1.8) # HILL
    tke0 <- log(0.5) # KE0 (1/h)
    eta.v ~ 0.04000000000000001
    eta.ic50 ~ 0.09
    pk.sd <- c(0, 0.2)
    pd.prop <- c(0, 0.1)
  })
  model({
    tvcl <- exp(tcl)
    cl <- tvcl
    tvv <- exp(tv)
    v <- tvv*exp(eta.v)
    tve0 <- te0
    e0 <- tve0
    tvimax <- timax
    imax <- tvimax
    tvic50 <- exp(tic50)
    ic50 <- tvic50*exp(eta.ic50)
    tvhill <- exp(thill)
    hill <- tvhill
    tvke0 <- exp(tke0)
    ke0 <- tvke0
    vc <- v
    k10 <- cl/v
    cpd <- central/vc
    d/dt(central) <- -k10*central
    d/dt(effect) <- ke0*(cpd - effect)
    cp <- central/vc
    eff <- e0*(1 - imax*(effect)^(hill)/((ic50)^(hill) + (effect)^(hill)))
    cp ~ lnorm(pk.sd)
    eff ~ prop(pd.prop)
  })
}
