$PROB Export direct-decrease-sigmoid
mrgsolve model exported by QPKPD Studio: IV 1-compartment, direct effect (decrease, sigmoid).
Data: direct-decrease-sigmoid.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 30 // V (L)
TE0 = 100 // E0 (score)
TIMAX = 0.8 // IMAX
TIC50 = 2 // IC50 (mg/L)
THILL = 2.5 // HILL
PK_SD = 0.2
PD_PROP = 0.1

$CMT CENTRAL

$OMEGA @labels ETA_CL ETA_E0 ETA_IMAX
0.09 0.010000000000000002 0.25

$SIGMA @labels EPS_PK EPS_PD
1 1

$MAIN
double TVCL = TCL;
double CL = TVCL*exp(ETA(1));
double TVV = TV;
double V = TVV;
double TVE0 = TE0;
double E0 = TVE0*exp(ETA(2));
double TVIMAX = TIMAX;
double IMAX = 1/(1 + exp(-(log(TVIMAX/(1 - TVIMAX)) + ETA(3))));
double TVIC50 = TIC50;
double IC50 = TVIC50;
double TVHILL = THILL;
double HILL = TVHILL;
double VC = V;
double K10 = CL/V;

$ODE
double CPD = CENTRAL/VC;
dxdt_CENTRAL = -K10*CENTRAL;

$TABLE
double CP = CENTRAL/VC;
double EFF = E0*(1 - IMAX*pow(CP, HILL)/(pow(IC50, HILL) + pow(CP, HILL)));
double PK_Y = CP*exp(PK_SD*EPS(1));
double PD_W = PD_PROP*fabs(EFF);
double PD_Y = EFF + PD_W*EPS(2);

$CAPTURE CP EFF PK_Y PD_Y
