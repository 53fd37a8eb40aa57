$PROB Export oral-2cmt-lag
mrgsolve model exported by QPKPD Studio: oral 2-compartment with lag, PK only.
Data: oral-2cmt-lag.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) ng/mL).
Parameters: volumes in L, clearances in L/h; VC = V/1000 is the central volume in mg/(ng/mL).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 5 // CL (L/h)
TV = 40 // V (L)
TKA = 1.1 // KA (1/h)
TTLAG = 0.4 // TLAG (h)
TQ = 2 // Q (L/h)
TVP = 80 // VP (L)
V_WT = 1 // V~WT (power)
CL_AGE = -0.006 // CL~AGE (linear)
WT = 70 // covariate (the data's column replaces it)
AGE = 50 // covariate (the data's column replaces it)
PK_PROP = 0.12

$CMT DEPOT CENTRAL PERIPH

$OMEGA @labels ETA_CL ETA_TLAG ETA_VP
0.0625 0.04000000000000001 0.09

$SIGMA @labels EPS_PK
1

$MAIN
double TVCL = TCL*(1 + CL_AGE*(AGE - 50));
double CL = TVCL*exp(ETA(1));
double TVV = TV*pow(WT/70, V_WT);
double V = TVV;
double TVKA = TKA;
double KA = TVKA;
double TVTLAG = TTLAG;
double TLAG = TVTLAG*exp(ETA(2));
double TVQ = TQ;
double Q = TVQ;
double TVVP = TVP*pow(WT/70, V_WT);
double VP = TVVP*exp(ETA(3));
double VC = V/1000;
double K10 = CL/V;
double K12 = Q/V;
double K21 = Q/VP;
ALAG_DEPOT = TLAG;

$ODE
double CPD = CENTRAL/VC;
dxdt_DEPOT = -KA*DEPOT;
dxdt_CENTRAL = KA*DEPOT - K10*CENTRAL - K12*CENTRAL + K21*PERIPH;
dxdt_PERIPH = K12*CENTRAL - K21*PERIPH;

$TABLE
double CP = CENTRAL/VC;
double PK_W = PK_PROP*fabs(CP);
double PK_Y = CP + PK_W*EPS(1);

$CAPTURE CP PK_Y
