$PROB Export indirect-sigmoid-2cmt
mrgsolve model exported by QPKPD Studio: IV 2-compartment, indirect response (inhibit-production, sigmoid).
Data: indirect-sigmoid-2cmt.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 20 // V (L)
TQ = 2 // Q (L/h)
TVP = 40 // VP (L)
CL_WT = 0.75 // CL~WT (power)
TBASE = 50 // BASE (score)
TKOUT = 0.15 // KOUT (1/h)
TIMAX = 0.9 // IMAX
TIC50 = 1.5 // IC50 (mg/L)
THILL = 2 // HILL
WT = 70 // covariate (the data's column replaces it)
PK_ADD = 0.05
PK_PROP = 0.1
PD_SD = 0.1

$CMT CENTRAL PERIPH RESPONSE

$OMEGA @labels ETA_CL ETA_IC50
0.09 0.09

$SIGMA @labels EPS_PK EPS_PD
1 1

$MAIN
double TVCL = TCL*pow(WT/70, CL_WT);
double CL = TVCL*exp(ETA(1));
double TVV = TV;
double V = TVV;
double TVQ = TQ*pow(WT/70, CL_WT);
double Q = TVQ;
double TVVP = TVP;
double VP = TVVP;
double TVBASE = TBASE;
double BASE = TVBASE;
double TVKOUT = TKOUT;
double KOUT = TVKOUT;
double TVIMAX = TIMAX;
double IMAX = TVIMAX;
double TVIC50 = TIC50;
double IC50 = TVIC50*exp(ETA(2));
double TVHILL = THILL;
double HILL = TVHILL;
double VC = V;
double K10 = CL/V;
double K12 = Q/V;
double K21 = Q/VP;
double KIN = BASE*KOUT;
RESPONSE_0 = BASE;

$ODE
double CPD = CENTRAL/VC;
dxdt_CENTRAL = -K10*CENTRAL - K12*CENTRAL + K21*PERIPH;
dxdt_PERIPH = K12*CENTRAL - K21*PERIPH;
dxdt_RESPONSE = KIN*(1 - IMAX*pow(CPD, HILL)/(pow(IC50, HILL) + pow(CPD, HILL))) - KOUT*RESPONSE;

$TABLE
double CP = CENTRAL/VC;
double EFF = RESPONSE;
double PK_W = sqrt(pow(PK_ADD, 2) + pow(PK_PROP*CP, 2));
double PK_Y = CP + PK_W*EPS(1);
double PD_Y = EFF*exp(PD_SD*EPS(2));

$CAPTURE CP EFF PK_Y PD_Y
