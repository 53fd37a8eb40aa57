$PROB Export iv-infusion-2cmt
mrgsolve model exported by QPKPD Studio: IV 2-compartment, PK only.
Data: iv-infusion-2cmt.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 20 // V (L)
TQ = 2 // Q (L/h)
TVP = 40 // VP (L)
CL_WT = 0.75 // CL~WT (power)
WT = 70 // covariate (the data's column replaces it)
PK_ADD = 0.05
PK_PROP = 0.1

$CMT CENTRAL PERIPH

$OMEGA @labels ETA_CL ETA_V
0.09 0.04000000000000001

$SIGMA @labels EPS_PK
1

$MAIN
double TVCL = TCL*pow(WT/70, CL_WT);
double CL = TVCL*exp(ETA(1));
double TVV = TV;
double V = TVV*exp(ETA(2));
double TVQ = TQ*pow(WT/70, CL_WT);
double Q = TVQ;
double TVVP = TVP;
double VP = TVVP;
double VC = V;
double K10 = CL/V;
double K12 = Q/V;
double K21 = Q/VP;

$ODE
double CPD = CENTRAL/VC;
dxdt_CENTRAL = -K10*CENTRAL - K12*CENTRAL + K21*PERIPH;
dxdt_PERIPH = K12*CENTRAL - K21*PERIPH;

$TABLE
double CP = CENTRAL/VC;
double PK_W = PK_ADD + PK_PROP*fabs(CP);
double PK_Y = CP + PK_W*EPS(1);

$CAPTURE CP PK_Y
