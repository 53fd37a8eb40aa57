# Export indirect-sigmoid-2cmt
# nlmixr2 model exported by QPKPD Studio: IV 2-compartment, indirect response (inhibit-production, sigmoid).
# Data: indirect-sigmoid-2cmt.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("indirect-sigmoid-2cmt.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(20) # V (L)
    tq <- log(2) # Q (L/h)
    tvp <- log(40) # VP (L)
    cl.wt <- 0.75 # CL~WT (power)
    tbase <- log(50) # BASE (score)
    tkout <- log(0.15) # KOUT (1/h)
    timax <- c(0, 0.9, 1) # IMAX
    tic50 <- log(1.5) # IC50 (mg/L)
    thill <- log(2) # HILL
    eta.cl ~ 0.09
    eta.ic50 ~ 0.09
    pk.add <- c(0, 0.05)
    pk.prop <- c(0, 0.1)
    pd.sd <- c(0, 0.1)
  })
  model({
    tvcl <- exp(tcl)*(WT/70)^(cl.wt)
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)
    v <- tvv
    tvq <- exp(tq)*(WT/70)^(cl.wt)
    q <- tvq
    tvvp <- exp(tvp)
    vp <- tvvp
    tvbase <- exp(tbase)
    base <- tvbase
    tvkout <- exp(tkout)
    kout <- tvkout
    tvimax <- timax
    imax <- tvimax
    tvic50 <- exp(tic50)
    ic50 <- tvic50*exp(eta.ic50)
    tvhill <- exp(thill)
    hill <- tvhill
    vc <- v
    k10 <- cl/v
    k12 <- q/v
    k21 <- q/vp
    kin <- base*kout
    cpd <- central/vc
    d/dt(central) <- -k10*central - k12*central + k21*periph
    d/dt(periph) <- k12*central - k21*periph
    d/dt(response) <- kin*(1 - imax*(cpd)^(hill)/((ic50)^(hill) + (cpd)^(hill))) - kout*response
    response(0) <- base
    cp <- central/vc
    eff <- response
    cp ~ add(pk.add) + prop(pk.prop) + combined2()
    eff ~ lnorm(pd.sd)
  })
}
