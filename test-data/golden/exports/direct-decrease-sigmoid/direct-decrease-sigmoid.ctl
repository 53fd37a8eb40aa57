$PROBLEM Export direct-decrease-sigmoid
; NONMEM control stream exported by QPKPD Studio: IV 1-compartment, direct effect (decrease, sigmoid).
; Data: direct-decrease-sigmoid.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score); PK DV = ln(concentration): log-transform-both-sides.
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID
$DATA direct-decrease-sigmoid.csv IGNORE=@
$SUBROUTINES ADVAN1 TRANS2
$PK
TVCL = THETA(1)
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV
TVE0 = THETA(3)
E0 = TVE0*EXP(ETA(2))
TVIMAX = THETA(4)
IMAX = 1/(1 + EXP(-(LOG(TVIMAX/(1 - TVIMAX)) + ETA(3))))
TVIC50 = THETA(5)
IC50 = TVIC50
TVHILL = THETA(6)
HILL = TVHILL
VC = V
S1 = VC
$ERROR
CP = A(1)/VC
E = E0*(1 - IMAX*(CP)**(HILL)/((IC50)**(HILL) + (CP)**(HILL)))
IPRED = -30
IF (CP.GT.0) IPRED = LOG(CP)
W = THETA(7)
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IF (DVID.EQ.2) THEN
  IPRED = E
  W = THETA(8)*ABS(IPRED)
  IF (W.EQ.0) W = 1
  Y = IPRED + W*EPS(2)
ENDIF
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 30) ; 2 V (L)
100 ; 3 E0 (score)
(0, 0.8, 1) ; 4 IMAX
(0, 2) ; 5 IC50 (mg/L)
(0, 2.5) ; 6 HILL
(0, 0.2) ; 7 PK SD of ln DV
(0, 0.1) ; 8 PD proportional SD
$OMEGA
0.09 ; ETA(1) CL
0.010000000000000002 ; ETA(2) E0
0.25 ; ETA(3) IMAX
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
1 FIX ; EPS(2) PD (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=direct-decrease-sigmoid.sdtab
$TABLE ID CL V E0 IMAX IC50 HILL ETA1 ETA2 ETA3 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=direct-decrease-sigmoid.patab
