# Export iv-infusion-2cmt
# nlmixr2 model exported by QPKPD Studio: IV 2-compartment, PK only.
# Data: iv-infusion-2cmt.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
# Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("iv-infusion-2cmt.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(3) # CL (L/h)
    tv <- log(20) # V (L)
    tq <- log(2) # Q (L/h)
    tvp <- log(40) # VP (L)
    cl.wt <- 0.75 # CL~WT (power)
    eta.cl ~ 0.09
    eta.v ~ 0.04000000000000001
    pk.add <- c(0, 0.05)
    pk.prop <- c(0, 0.1)
  })
  model({
    tvcl <- exp(tcl)*(WT/70)^(cl.wt)
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)
    v <- tvv*exp(eta.v)
    tvq <- exp(tq)*(WT/70)^(cl.wt)
    q <- tvq
    tvvp <- exp(tvp)
    vp <- tvvp
    vc <- v
    k10 <- cl/v
    k12 <- q/v
    k21 <- q/vp
    cpd <- central/vc
    d/dt(central) <- -k10*central - k12*central + k21*periph
    d/dt(periph) <- k12*central - k21*periph
    cp <- central/vc
    cp ~ add(pk.add) + prop(pk.prop) + combined1()
  })
}
