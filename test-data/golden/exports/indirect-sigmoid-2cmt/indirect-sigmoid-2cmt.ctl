$PROBLEM Export indirect-sigmoid-2cmt
; NONMEM control stream exported by QPKPD Studio: IV 2-compartment, indirect response (inhibit-production, sigmoid).
; Data: indirect-sigmoid-2cmt.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID WT
$DATA indirect-sigmoid-2cmt.csv IGNORE=@
$SUBROUTINES ADVAN13 TOL=9
$MODEL
  COMP=(CENTRAL,DEFDOSE,DEFOBS)
  COMP=(PERIPH)
  COMP=(RESPONSE)
$PK
TVCL = THETA(1)*(WT/70)**(THETA(5))
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV
TVQ = THETA(3)*(WT/70)**(THETA(5))
Q = TVQ
TVVP = THETA(4)
VP = TVVP
TVBASE = THETA(6)
BASE = TVBASE
TVKOUT = THETA(7)
KOUT = TVKOUT
TVIMAX = THETA(8)
IMAX = TVIMAX
TVIC50 = THETA(9)
IC50 = TVIC50*EXP(ETA(2))
TVHILL = THETA(10)
HILL = TVHILL
VC = V
K10 = CL/V
K12 = Q/V
K21 = Q/VP
KIN = BASE*KOUT
A_0(3) = BASE
$DES
CPD = A(1)/VC
DADT(1) = -K10*A(1) - K12*A(1) + K21*A(2)
DADT(2) = K12*A(1) - K21*A(2)
DADT(3) = KIN*(1 - IMAX*(CPD)**(HILL)/((IC50)**(HILL) + (CPD)**(HILL))) - KOUT*A(3)
$ERROR
CP = A(1)/VC
E = A(3)
IPRED = CP
W = SQRT((THETA(11))**(2) + (THETA(12)*IPRED)**(2))
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IF (DVID.EQ.2) THEN
  IPRED = -30
  IF (E.GT.0) IPRED = LOG(E)
  W = THETA(13)
  IF (W.EQ.0) W = 1
  Y = IPRED + W*EPS(2)
ENDIF
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 20) ; 2 V (L)
(0, 2) ; 3 Q (L/h)
(0, 40) ; 4 VP (L)
0.75 ; 5 CL~WT (power)
(0, 50) ; 6 BASE (score)
(0, 0.15) ; 7 KOUT (1/h)
(0, 0.9, 1) ; 8 IMAX
(0, 1.5) ; 9 IC50 (mg/L)
(0, 2) ; 10 HILL
(0, 0.05) ; 11 PK additive SD (mg/L)
(0, 0.1) ; 12 PK proportional SD
(0, 0.1) ; 13 PD SD of ln DV
$OMEGA
0.09 ; ETA(1) CL
0.09 ; ETA(2) IC50
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
1 FIX ; EPS(2) PD (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=indirect-sigmoid-2cmt.sdtab
$TABLE ID CL V Q VP BASE KOUT IMAX IC50 HILL ETA1 ETA2 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=indirect-sigmoid-2cmt.patab
