$PROB Export effect-compartment
mrgsolve model exported by QPKPD Studio: oral 1-compartment, effect-compartment effect (increase).
Data: effect-compartment.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 30 // V (L)
TKA = 1.2 // KA (1/h)
TE0 = 5 // E0 (score)
TEMAX = 30 // EMAX (score)
TEC50 = 1.5 // EC50 (mg/L)
TKE0 = 0.3 // KE0 (1/h)
KE0_AGE = 0.01 // KE0~AGE (linear)
AGE = 50 // covariate (the data's column replaces it)
PK_SD = 0.2
PD_ADD = 1
PD_PROP = 0.05

$CMT DEPOT CENTRAL EFFECT

$OMEGA @labels ETA_CL ETA_KE0
0.09 0.16000000000000003

$SIGMA @labels EPS_PK EPS_PD
1 1

$MAIN
double TVCL = TCL;
double CL = TVCL*exp(ETA(1));
double TVV = TV;
double V = TVV;
double TVKA = TKA;
double KA = TVKA;
double TVE0 = TE0;
double E0 = TVE0;
double TVEMAX = TEMAX;
double EMAX = TVEMAX;
double TVEC50 = TEC50;
double EC50 = TVEC50;
double TVKE0 = TKE0*(1 + KE0_AGE*(AGE - 50));
double KE0 = TVKE0*exp(ETA(2));
double VC = V;
double K10 = CL/V;

$ODE
double CPD = CENTRAL/VC;
dxdt_DEPOT = -KA*DEPOT;
dxdt_CENTRAL = KA*DEPOT - K10*CENTRAL;
dxdt_EFFECT = KE0*(CPD - EFFECT);

$TABLE
double CP = CENTRAL/VC;
double EFF = E0 + EMAX*EFFECT/(EC50 + EFFECT);
double PK_Y = CP*exp(PK_SD*EPS(1));
double PD_W = sqrt(pow(PD_ADD, 2) + pow(PD_PROP*EFF, 2));
double PD_Y = EFF + PD_W*EPS(2);

$CAPTURE CP EFF PK_Y PD_Y
