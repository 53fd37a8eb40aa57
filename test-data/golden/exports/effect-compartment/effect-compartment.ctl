$PROBLEM Export effect-compartment
; NONMEM control stream exported by QPKPD Studio: oral 1-compartment, effect-compartment effect (increase).
; Data: effect-compartment.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score); PK DV = ln(concentration): log-transform-both-sides.
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID AGE
$DATA effect-compartment.csv IGNORE=@
$SUBROUTINES ADVAN13 TOL=9
$MODEL
  COMP=(DEPOT,DEFDOSE)
  COMP=(CENTRAL,DEFOBS)
  COMP=(EFFECT)
$PK
TVCL = THETA(1)
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV
TVKA = THETA(3)
KA = TVKA
TVE0 = THETA(4)
E0 = TVE0
TVEMAX = THETA(5)
EMAX = TVEMAX
TVEC50 = THETA(6)
EC50 = TVEC50
TVKE0 = THETA(7)*(1 + THETA(8)*(AGE - 50))
KE0 = TVKE0*EXP(ETA(2))
VC = V
K10 = CL/V
$DES
CPD = A(2)/VC
DADT(1) = -KA*A(1)
DADT(2) = KA*A(1) - K10*A(2)
DADT(3) = KE0*(CPD - A(3))
$ERROR
CP = A(2)/VC
E = E0 + EMAX*A(3)/(EC50 + A(3))
IPRED = -30
IF (CP.GT.0) IPRED = LOG(CP)
W = THETA(9)
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IF (DVID.EQ.2) THEN
  IPRED = E
  W = SQRT((THETA(10))**(2) + (THETA(11)*IPRED)**(2))
  IF (W.EQ.0) W = 1
  Y = IPRED + W*EPS(2)
ENDIF
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 30) ; 2 V (L)
(0, 1.2) ; 3 KA (1/h)
5 ; 4 E0 (score)
30 ; 5 EMAX (score)
(0, 1.5) ; 6 EC50 (mg/L)
(0, 0.3) ; 7 KE0 (1/h)
0.01 ; 8 KE0~AGE (linear)
(0, 0.2) ; 9 PK SD of ln DV
(0, 1) ; 10 PD additive SD (score)
(0, 0.05) ; 11 PD proportional SD
$OMEGA
0.09 ; ETA(1) CL
0.16000000000000003 ; ETA(2) KE0
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
1 FIX ; EPS(2) PD (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=effect-compartment.sdtab
$TABLE ID CL V KA E0 EMAX EC50 KE0 ETA1 ETA2 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=effect-compartment.patab
