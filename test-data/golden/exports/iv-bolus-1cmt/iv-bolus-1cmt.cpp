$PROB Export iv-bolus-1cmt
mrgsolve model exported by QPKPD Studio: IV 1-compartment, PK only.
Data: iv-bolus-1cmt.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 30 // V (L)
CL_SEX = 0.8 // CL~SEX (factor)
SEX = 0 // covariate (the data's column replaces it)
PK_ADD = 0.05
PK_PROP = 0.1

$CMT CENTRAL

$OMEGA @labels ETA_CL
0.09

$SIGMA @labels EPS_PK
1

$MAIN
double TVCL = TCL*pow(CL_SEX, SEX);
double CL = TVCL*exp(ETA(1));
double TVV = TV;
double V = TVV;
double VC = V;
double K10 = CL/V;

$ODE
double CPD = CENTRAL/VC;
dxdt_CENTRAL = -K10*CENTRAL;

$TABLE
double CP = CENTRAL/VC;
double PK_W = sqrt(pow(PK_ADD, 2) + pow(PK_PROP*CP, 2));
double PK_Y = CP + PK_W*EPS(1);

$CAPTURE CP PK_Y
