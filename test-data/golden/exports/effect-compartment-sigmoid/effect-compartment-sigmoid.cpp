$PROB Export effect-compartment-sigmoid
mrgsolve model exported by QPKPD Studio: IV 1-compartment, effect-compartment effect (decrease, sigmoid).
Data: effect-compartment-sigmoid.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 30 // V (L)
TE0 = 80 // E0 (score)
TIMAX = 0.9 // IMAX
TIC50 = 1.5 // IC50 (mg/L)
THILL = 1.8 // HILL
TKE0 = 0.5 // KE0 (1/h)
PK_SD = 0.2
PD_PROP = 0.1

$CMT CENTRAL EFFECT

$OMEGA @labels ETA_V ETA_IC50
0.04000000000000001 0.09

$SIGMA @labels EPS_PK EPS_PD
1 1

$MAIN
double TVCL = TCL;
double CL = TVCL;
double TVV = TV;
double V = TVV*exp(ETA(1));
double TVE0 = TE0;
double E0 = TVE0;
double TVIMAX = TIMAX;
double IMAX = TVIMAX;
double TVIC50 = TIC50;
double IC50 = TVIC50*exp(ETA(2));
double TVHILL = THILL;
double HILL = TVHILL;
double TVKE0 = TKE0;
double KE0 = TVKE0;
double VC = V;
double K10 = CL/V;

$ODE
double CPD = CENTRAL/VC;
dxdt_CENTRAL = -K10*CENTRAL;
dxdt_EFFECT = KE0*(CPD - EFFECT);

$TABLE
double CP = CENTRAL/VC;
double EFF = E0*(1 - IMAX*pow(EFFECT, HILL)/(pow(IC50, HILL) + pow(EFFECT, HILL)));
double PK_Y = CP*exp(PK_SD*EPS(1));
double PD_W = PD_PROP*fabs(EFF);
double PD_Y = EFF + PD_W*EPS(2);

$CAPTURE CP EFF PK_Y PD_Y
