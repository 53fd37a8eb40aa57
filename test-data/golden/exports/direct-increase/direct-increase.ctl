$PROBLEM Export direct-increase
; NONMEM control stream exported by QPKPD Studio: oral 1-compartment, direct effect (increase).
; Data: direct-increase.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score); PK DV = ln(concentration): log-transform-both-sides.
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID SEX
$DATA direct-increase.csv IGNORE=@
$SUBROUTINES ADVAN2 TRANS2
$PK
TVCL = THETA(1)
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV
TVKA = THETA(3)
KA = TVKA
TVE0 = THETA(4)
E0 = TVE0
TVEMAX = THETA(5)*(THETA(6))**(SEX)
EMAX = TVEMAX
TVEC50 = THETA(7)
EC50 = TVEC50*EXP(ETA(2))
VC = V
S2 = VC
$ERROR
CP = A(2)/VC
E = E0 + EMAX*CP/(EC50 + CP)
IPRED = -30
IF (CP.GT.0) IPRED = LOG(CP)
W = THETA(8)
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IF (DVID.EQ.2) THEN
  IPRED = E
  W = THETA(9)
  IF (W.EQ.0) W = 1
  Y = IPRED + W*EPS(2)
ENDIF
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 30) ; 2 V (L)
(0, 1.2) ; 3 KA (1/h)
10 ; 4 E0 (score)
40 ; 5 EMAX (score)
(0, 1.3) ; 6 EMAX~SEX (factor)
(0, 2) ; 7 EC50 (mg/L)
(0, 0.2) ; 8 PK SD of ln DV
(0, 1.5) ; 9 PD additive SD (score)
$OMEGA
0.09 ; ETA(1) CL
0.09 ; ETA(2) EC50
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
1 FIX ; EPS(2) PD (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=direct-increase.sdtab
$TABLE ID CL V KA E0 EMAX EC50 ETA1 ETA2 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=direct-increase.patab
