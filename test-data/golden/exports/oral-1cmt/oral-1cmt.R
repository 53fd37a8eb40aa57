# Export oral-1cmt
# nlmixr2 model exported by QPKPD Studio: oral 1-compartment, PK only.
# Data: oral-1cmt.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("oral-1cmt.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(30) # V (L)
    tka <- log(1.2) # KA (1/h)
    cl.wt <- 0.75 # CL~WT (power)
    eta.cl ~ 0.09
    eta.v ~ 0.04000000000000001
    eta.ka ~ 0.16000000000000003
    pk.sd <- c(0, 0.2)
  })
  model({
    tvcl <- exp(tcl)*(WT/70)^(cl.wt)
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)
    v <- tvv*exp(eta.v)
    tvka <- exp(tka)
    ka <- tvka*exp(eta.ka)
    vc <- v
    k10 <- cl/v
    cpd <- central/vc
    d/dt(depot) <- -ka*depot
    d/dt(central) <- ka*depot - k10*central
    cp <- central/vc
    cp ~ lnorm(pk.sd)
  })
}
