# Export oral-2cmt-lag
# nlmixr2 model exported by QPKPD Studio: oral 2-compartment with lag, PK only.
# Data: oral-2cmt-lag.nlmixr2.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) ng/mL).
# Parameters: volumes in L, clearances in L/h; VC = V/1000 is the central volume in mg/(ng/mL).
# Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
# Use: fit <- nlmixr2::nlmixr2(qpkpd_model, read.csv("oral-2cmt-lag.nlmixr2.csv"), est = "focei")
qpkpd_model <- function() {
  ini({
    tcl <- log(5) # CL (L/h)
    tv <- log(40) # V (L)
    tka <- log(1.1) # KA (1/h)
    ttlag <- log(0.4) # TLAG (h)
    tq <- log(2) # Q (L/h)
    tvp <- log(80) # VP (L)
    v.wt <- 1 # V~WT (power)
    cl.age <- -0.006 # CL~AGE (linear)
    eta.cl ~ 0.0625
    eta.tlag ~ 0.04000000000000001
    eta.vp ~ 0.09
    pk.prop <- c(0, 0.12)
  })
  model({
    tvcl <- exp(tcl)*(1 + cl.age*(AGE - 50))
    cl <- tvcl*exp(eta.cl)
    tvv <- exp(tv)*(WT/70)^(v.wt)
    v <- tvv
    tvka <- exp(tka)
    ka <- tvka
    tvtlag <- exp(ttlag)
    tlag <- tvtlag*exp(eta.tlag)
    tvq <- exp(tq)
    q <- tvq
    tvvp <- exp(tvp)*(WT/70)^(v.wt)
    vp <- tvvp*exp(eta.vp)
    vc <- v/1000
    k10 <- cl/v
    k12 <- q/v
    k21 <- q/vp
    cpd <- central/vc
    d/dt(depot) <- -ka*depot
    d/dt(central) <- ka*depot - k10*central - k12*central + k21*periph
    d/dt(periph) <- k12*central - k21*periph
    alag(depot) <- tlag
    cp <- central/vc
    cp ~ prop(pk.prop)
  })
}
