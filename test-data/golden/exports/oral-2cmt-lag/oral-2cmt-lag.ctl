$PROBLEM Export oral-2cmt-lag
; NONMEM control stream exported by QPKPD Studio: oral 2-compartment with lag, PK only.
; Data: oral-2cmt-lag.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) ng/mL).
; Parameters: volumes in L, clearances in L/h; VC = V/1000 is the central volume in mg/(ng/mL).
; Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).
$INPUT ID TIME AMT RATE EVID MDV CMT DV DVID WT AGE
$DATA oral-2cmt-lag.csv IGNORE=@
$SUBROUTINES ADVAN4 TRANS4
$PK
TVCL = THETA(1)*(1 + THETA(8)*(AGE - 50))
CL = TVCL*EXP(ETA(1))
TVV = THETA(2)*(WT/70)**(THETA(7))
V = TVV
TVKA = THETA(3)
KA = TVKA
TVTLAG = THETA(4)
TLAG = TVTLAG*EXP(ETA(2))
TVQ = THETA(5)
Q = TVQ
TVVP = THETA(6)*(WT/70)**(THETA(7))
VP = TVVP*EXP(ETA(3))
VC = V/1000
V2 = V
V3 = VP
S2 = VC
ALAG1 = TLAG
$ERROR
CP = A(2)/VC
IPRED = CP
W = THETA(9)*ABS(IPRED)
IF (W.EQ.0) W = 1
Y = IPRED + W*EPS(1)
IRES = DV - IPRED
IWRES = IRES/W
$THETA
(0, 5) ; 1 CL (L/h)
(0, 40) ; 2 V (L)
(0, 1.1) ; 3 KA (1/h)
(0, 0.4) ; 4 TLAG (h)
(0, 2) ; 5 Q (L/h)
(0, 80) ; 6 VP (L)
1 ; 7 V~WT (power)
-0.006 ; 8 CL~AGE (linear)
(0, 0.12) ; 9 PK proportional SD
$OMEGA
0.0625 ; ETA(1) CL
0.04000000000000001 ; ETA(2) TLAG
0.09 ; ETA(3) VP
$SIGMA
1 FIX ; EPS(1) PK (the SDs are θ)
$EST METHOD=COND INTER MAXEVAL=9999 PRINT=5 NOABORT
$COV PRINT=E
$TABLE ID TIME DVID EVID MDV DV PRED IPRED CWRES IWRES NOPRINT ONEHEADER FILE=oral-2cmt-lag.sdtab
$TABLE ID CL V KA TLAG Q VP ETA1 ETA2 ETA3 FIRSTONLY NOAPPEND NOPRINT ONEHEADER FILE=oral-2cmt-lag.patab
