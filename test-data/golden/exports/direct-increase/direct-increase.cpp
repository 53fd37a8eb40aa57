$PROB Export direct-increase
mrgsolve model exported by QPKPD Studio: oral 1-compartment, direct effect (increase).
Data: direct-increase.mrgsolve.csv in the data's units (TIME h, AMT mg, DV (PK, DVID 1) mg/L, DV (PD, DVID 2) score).
Parameters: volumes in L, clearances in L/h; VC = V is the central volume in mg/(mg/L).
Initial values: the final estimates of the fit (FOCE-I; PK, then PD given the individual PK parameters).

$PARAM
TCL = 3 // CL (L/h)
TV = 30 // V (L)
TKA = 1.2 // KA (1/h)
TE0 = 10 // E0 (score)
TEMAX = 40 // EMAX (score)
EMAX_SEX = 1.3 // EMAX~SEX (factor)
TEC50 = 2 // EC50 (mg/L)
SEX = 0 // covariate (the data's column replaces it)
PK_SD = 0.2
PD_ADD = 1.5

$CMT DEPOT CENTRAL

$OMEGA @labels ETA_CL ETA_EC50
0.09 0.09

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
double TVEMAX = TEMAX*pow(EMAX_SEX, SEX);
double EMAX = TVEMAX;
double TVEC50 = TEC50;
double EC50 = TVEC50*exp(ETA(2));
double VC = V;
double K10 = CL/V;

$ODE
double CPD = CENTRAL/VC;
dxdt_DEPOT = -KA*DEPOT;
dxdt_CENTRAL = KA*DEPOT - K10*CENTRAL;

$TABLE
double CP = CENTRAL/VC;
double EFF = E0 + EMAX*CP/(EC50 + CP);
double PK_Y = CP*exp(PK_SD*EPS(1));
double PD_W = PD_ADD;
double PD_Y = EFF + PD_W*EPS(2);

$CAPTURE CP EFF PK_Y PD_Y
