$PROBLEM Export indirect-inhibit-production
; NONMEM control stream exported by QPKPD Studio: oral 1-compartment, indirect response (inhibit-production).
; Data: indirect-inhibit-production.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score); PK DV = ln(concentration): log-transform-both-sides.
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID
$DATA indirect-inhibit-production.csv IGNORE=@
$SUBROUTINES ADVAN13 TOL=9
$MODEL
  COMP=(DEPOT,DEFDOSE)
  COMP=(CENTRAL,DEFOBS)
  COMP=(RESPONSE)
$PK
TVCL = THETA(1)
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV
TVKA = THETA(3)
KA = TVKA
TVBASE = THETA(4)
BASE = TVBASE*EXP(ETA(2))
TVKOUT = THETA(5)
KOUT = TVKOUT*EXP(ETA(3))
TVIMAX = THETA(6)
IMAX = TVIMAX
TVIC50 = THETA(7)
IC50 = TVIC50
VC = V
K10 = CL/V
KIN = BASE*KOUT
A_0(3) = BASE
$DES
CPD = A(2)/VC
DADT(1) = -KA*A(1)
DADT(2) = KA*A(1) - K10*A(2)
DADT(3) = KIN*(1 - IMAX*CPD/(IC50 + CPD)) - KOUT*A(3)
$ERROR
CP = A(2)/VC
E = A(3)
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
(0, 1.2) ; 3 KA (1/h)
(0, 50) ; 4 BASE (score)
(0, 0.2) ; 5 KOUT (1/h)
(0, 0.7, 1) ; 6 IMAX
(0, 2) ; 7 IC50 (mg/L)
(0, 0.2) ; 8 PK SD of ln DV
(0, 0.1) ; 9 PD proportional SD
$OMEGA
0.09 ; ETA(1) CL
0.04000000000000001 ; ETA(2) BASE
0.09 ; ETA(3) KOUT
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
1 FIX ; EPS(2) PD (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=indirect-inhibit-production.sdtab
$TABLE ID CL V KA BASE KOUT IMAX IC50 ETA1 ETA2 ETA3 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=indirect-inhibit-production.patab
