$PROBLEM Export iv-infusion-2cmt
; NONMEM control stream exported by QPKPD Studio: IV 2-compartment, PK only.
; Data: iv-infusion-2cmt.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
; Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID WT
$DATA iv-infusion-2cmt.csv IGNORE=@
$SUBROUTINES ADVAN3 TRANS4
$PK
TVCL = THETA(1)*(WT/70)**(THETA(5))
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)
V = TVV*EXP(ETA(2))
TVQ = THETA(3)*(WT/70)**(THETA(5))
Q = TVQ
TVVP = THETA(4)
VP = TVVP
VC = V
V1 = V
V2 = VP
S1 = VC
$ERROR
CP = A(1)/VC
IPRED = CP
W = THETA(6) + THETA(7)*ABS(IPRED)
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 3) ; 1 CL (L/h)
(0, 20) ; 2 V (L)
(0, 2) ; 3 Q (L/h)
(0, 40) ; 4 VP (L)
0.75 ; 5 CL~WT (power)
(0, 0.05) ; 6 PK additive SD (mg/L)
(0, 0.1) ; 7 PK proportional SD
$OMEGA
0.09 ; ETA(1) CL
0.04000000000000001 ; ETA(2) V
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=iv-infusion-2cmt.sdtab
$TABLE ID CL V Q VP ETA1 ETA2 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=iv-infusion-2cmt.patab
