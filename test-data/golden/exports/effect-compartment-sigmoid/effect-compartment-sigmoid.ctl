$PROBLEM Export effect-compartment-sigmoid
; NONMEM control stream exported by QPKPD Studio: IV 1-compartment, effect-compartment effect (decrease, sigmoid).
; Data: effect-compartment-sigmoid.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score); PK DV = ln(concentration): log-transform-both-sides.
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID
$DATA effect-compartment-sigmoid.csv IGNORE=@
$SUBROUTINES ADVAN13 TOL=9
$MODEL
  COMP=(CENTRAL,DEFDOSE,DEFOBS)
  COMP=(EFFECT)
$PK
TVCL = THETA(1)
CL = TVCL
TVV = THETA(2)
V = TVV*EXP(ETA(1))
TVE0 = THETA(3)
E0 = TVE0
TVIMAX = THETA(4)
IMAX = TVIMAX
TVIC50 = THETA(5)
IC50 = TVIC50*EXP(ETA(2))
TVHILL = THETA(6)
HILL = TVHILL
TVKE0 = THETA(7)
KE0 = TVKE0
VC = V
K10 = CL/V
$DES
CPD = A(1)/VC
DADT(1) = -K10*A(1)
DADT(2) = KE0*(CPD - A(2))
$ERROR
CP = A(1)/VC
E = E0*(1 - IMAX*(A(2))**(HILL)/((IC50)**(HILL) + (A(2))**(HILL)))
IPRED = -30
IF (CP.GT.0) IPRED = LOG(CP)
W = THETA(8)
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IF (DVID.EQ.2) THEN
  IPRED = E
  W = THETA(9)*ABS(IPRED)
  IF (W.EQ.0) W = 1
  Y = IPRED + W*EPS(2)
ENDIF
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 30) ; 2 V (L)
80 ; 3 E0 (score)
(0, 0.9, 1) ; 4 IMAX
(0, 1.5) ; 5 IC50 (mg/L)
(0, 1.8) ; 6 HILL
(0, 0.5) ; 7 KE0 (1/h)
(0, 0.2) ; 8 PK SD of ln DV
(0, 0.1) ; 9 PD proportional SD
$OMEGA
0.04000000000000001 ; ETA(1) V
0.09 ; ETA(2) IC50
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
1 FIX ; EPS(2) PD (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=effect-compartment-sigmoid.sdtab
$TABLE ID CL V E0 IMAX IC50 HILL KE0 ETA1 ETA2 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=effect-compartment-sigmoid.patab
