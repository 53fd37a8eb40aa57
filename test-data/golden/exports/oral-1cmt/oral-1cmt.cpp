$PROB Export oral-1cmt
mrgsolve model exported by QPKPD Studio: oral 1-compartment, PK only.
Data: oral-1cmt.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 30 // V (L)
TKA = 1.2 // KA (1/h)
CL_WT = 0.75 // CL~WT (power)
WT = 70 // covariate (the data's column replaces it)
PK_SD = 0.2

$CMT DEPOT CENTRAL

$OMEGA @labels ETA_CL ETA_V ETA_KA
0.09 0.04000000000000001 0.16000000000000003

$SIGMA @labels EPS_PK
1

$MAIN
double TVCL = TCL*pow(WT/70, CL_WT);
double CL = TVCL*exp(ETA(1));
double TVV = TV;
double V = TVV*exp(ETA(2));
double TVKA = TKA;
double KA = TVKA*exp(ETA(3));
double VC = V;
double K10 = CL/V;

$ODE
double CPD = CENTRAL/VC;
dxdt_DEPOT = -KA*DEPOT;
dxdt_CENTRAL = KA*DEPOT - K10*CENTRAL;

$TABLE
double CP = CENTRAL/VC;
double PK_Y = CP*exp(PK_SD*EPS(1));

$CAPTURE CP PK_Y
