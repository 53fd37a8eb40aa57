$PROBLEM Export iv-bolus-1cmt
; NONMEM control stream exported by QPKPD Studio: IV 1-compartment, PK only.
; Data: iv-bolus-1cmt.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID SEX
$DATA iv-bolus-1cmt.csv IGNORE=@
$SUBROUTINES ADVAN1 TRANS2
$PK
TVCL = THETA(1)*(THETA(3))**(SEX)
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV
VC = V
S1 = VC
$ERROR
CP = A(1)/VC
IPRED = CP
W = SQRT((THETA(4))**(2) + (THETA(5)*IPRED)**(2))
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 30) ; 2 V (L)
(0, 0.8) ; 3 CL~SEX (factor)
(0, 0.05) ; 4 PK additive SD (mg/L)
(0, 0.1) ; 5 PK proportional SD
$OMEGA
0.09 ; ETA(1) CL
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=iv-bolus-1cmt.sdtab
$TABLE ID CL V ETA1 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=iv-bolus-1cmt.patab
