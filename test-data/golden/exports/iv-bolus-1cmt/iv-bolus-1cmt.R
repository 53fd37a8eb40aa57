# Export iv-bolus-1cmt
# nlmixr2 model exported by QPKPD Studio: IV 1-compartment, PK only.
# Data: iv-bolus-1cmt.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("iv-bolus-1cmt.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(30) # V (L)
    cl.sex <- c(0, 0.8) # CL~SEX (factor)
    eta.cl ~ 0.09
    pk.add <- c(0, 0.05)
    pk.prop <- c(0, 0.1)
  })
  model({
    tvcl <- exp(tcl)*(cl.sex)^(SEX)
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)
    v <- tvv
    vc <- v
    k10 <- cl/v
    cpd <- central/vc
    d/dt(central) <- -k10*central
    cp <- central/vc
    cp ~ add(pk.add) + prop(pk.prop) + combined2()
  })
}
