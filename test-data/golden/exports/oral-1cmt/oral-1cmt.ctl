$PROBLEM Export oral-1cmt
; NONMEM control stream exported by QPKPD Studio: oral 1-compartment, PK only.
; Data: oral-1cmt.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L); PK DV = ln(concentration): log-transform-both-sides.
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID WT
$DATA oral-1cmt.csv IGNORE=@
$SUBROUTINES ADVAN2 TRANS2
$PK
TVCL = THETA(1)*(WT/70)**(THETA(4))
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV*EXP(ETA(2))
TVKA = THETA(3)
KA = TVKA*EXP(ETA(3))
VC = V
S2 = VC
$ERROR
CP = A(2)/VC
IPRED = -30
IF (CP.GT.0) IPRED = LOG(CP)
W = THETA(5)
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 30) ; 2 V (L)
(0, 1.2) ; 3 KA (1/h)
0.75 ; 4 CL~WT (power)
(0, 0.2) ; 5 PK SD of ln DV
$OMEGA
0.09 ; ETA(1) CL
0.04000000000000001 ; ETA(2) V
0.16000000000000003 ; ETA(3) KA
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=oral-1cmt.sdtab
$TABLE ID CL V KA ETA1 ETA2 ETA3 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=oral-1cmt.patab
