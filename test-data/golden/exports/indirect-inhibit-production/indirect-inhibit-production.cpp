$PROB Export indirect-inhibit-production
mrgsolve model exported by QPKPD Studio: oral 1-compartment, indirect response (inhibit-production).
Data: indirect-inhibit-production.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 30 // V (L)
TKA = 1.2 // KA (1/h)
TBASE = 50 // BASE (score)
TKOUT = 0.2 // KOUT (1/h)
TIMAX = 0.7 // IMAX
TIC50 = 2 // IC50 (mg/L)
PK_SD = 0.2
PD_PROP = 0.1

$CMT DEPOT CENTRAL RESPONSE

$OMEGA @labels ETA_CL ETA_BASE ETA_KOUT
0.09 0.04000000000000001 0.09

$SIGMA @labels EPS_PK EPS_PD
1 1

$MAIN
double TVCL = TCL;
double CL = TVCL*exp(ETA(1));
double TVV = TV;
double V = TVV;
double TVKA = TKA;
double KA = TVKA;
double TVBASE = TBASE;
double BASE = TVBASE*exp(ETA(2));
double TVKOUT = TKOUT;
double KOUT = TVKOUT*exp(ETA(3));
double TVIMAX = TIMAX;
double IMAX = TVIMAX;
double TVIC50 = TIC50;
double IC50 = TVIC50;
double VC = V;
double K10 = CL/V;
double KIN = BASE*KOUT;
RESPONSE_0 = BASE;

$ODE
double CPD = CENTRAL/VC;
dxdt_DEPOT = -KA*DEPOT;
dxdt_CENTRAL = KA*DEPOT - K10*CENTRAL;
dxdt_RESPONSE = KIN*(1 - IMAX*CPD/(IC50 + CPD)) - KOUT*RESPONSE;

$TABLE
double CP = CENTRAL/VC;
double EFF = RESPONSE;
double PK_Y = CP*exp(PK_SD*EPS(1));
double PD_W = PD_PROP*fabs(EFF);
double PD_Y = EFF + PD_W*EPS(2);

$CAPTURE CP EFF PK_Y PD_Y
