/*
 * geodesic.c - distances on the WGS84 ellipsoid (the inverse geodesic
 * problem) and the circle test built on them.
 *
 * The maths is Karney's ("Algorithms for geodesics", J. Geodesy 2013): map
 * the ellipsoid onto the auxiliary sphere (reduced latitude beta, arc sigma,
 * spherical longitude omega), where a geodesic with azimuth alpha1 at the
 * first point has
 *     s / b    = integral of sqrt(1 + k^2 sin^2 sigma) d sigma,
 *     lambda12 = omega12 - f sin(alpha0) * integral of
 *                (2 - f) / (1 + (1 - f) sqrt(1 + k^2 sin^2 sigma)) d sigma,
 * k^2 = e'^2 cos^2 alpha0.  With the points in canonical position (first
 * latitude <= 0 and the larger in magnitude, longitude difference in
 * [0, 180]) lambda12 grows monotonically with alpha1 in [0, pi], so the
 * inverse problem is a root search on alpha1: bracketed, hence robust also
 * for nearly antipodal points where Vincenty's iteration fails.  Our own
 * choices: the integrals by Gauss-Legendre quadrature (the integrands are
 * analytic far from the real axis, so 24 nodes are exact to rounding)
 * instead of Karney's series, a safeguarded secant instead of Newton, and a
 * first-order correction of the distance by the longitude residual left
 * when the search stops.  tests/e2e/geo_geodesic.sh checks 100,000 random
 * pairs against GeographicLib.
 */
#include "geo_int.h"

#include <float.h>
#include <math.h>
#include <pthread.h>

#define A   GEO_WGS84_A
#define F   GEO_WGS84_F
#define B   (GEO_WGS84_A * (1 - GEO_WGS84_F))
#define EP2 (F * (2 - F) / ((1 - F) * (1 - F)))

/* mean radius for the spherical pre-check */
#define R_MEAN 6371008.8

#define GL_N 24
static double gl_x[GL_N], gl_w[GL_N];
static pthread_once_t gl_once = PTHREAD_ONCE_INIT;

/* Gauss-Legendre nodes and weights on [-1, 1]: Newton's method on P_n from Chebyshev guesses. */
static void gl_init(void)
{
	for (int i = 0; i < (GL_N + 1) / 2; i++) {
		double z = cos(M_PI * (i + 0.75) / (GL_N + 0.5)), z1, pp = 1;

		for (int it = 0; it < 100; it++) {
			double p1 = 1, p2 = 0, p3;

			for (int j = 1; j <= GL_N; j++) {
				p3 = p2;
				p2 = p1;
				p1 = ((2.0 * j - 1) * z * p2 - (j - 1.0) * p3) / j;
			}
			pp = GL_N * (z * p1 - p2) / (z * z - 1);
			z1 = z;
			z = z1 - p1 / pp;
			if (fabs(z - z1) < 1e-16)
				break;
		}
		gl_x[i] = -z;
		gl_x[GL_N - 1 - i] = z;
		gl_w[i] = gl_w[GL_N - 1 - i] = 2 / ((1 - z * z) * pp * pp);
	}
}

/* sin and cos of x degrees, exact at multiples of 90 */
static void sincosd(double x, double *s, double *c)
{
	double r = remainder(x, 360), q = nearbyint(r / 90), sn, cs;

	r = (r - 90 * q) * (M_PI / 180);
	sn = sin(r);
	cs = cos(r);
	switch (((int)q % 4 + 4) % 4) {
	case 0:
		*s = sn;
		*c = cs;
		break;
	case 1:
		*s = cs;
		*c = -sn;
		break;
	case 2:
		*s = -sn;
		*c = -cs;
		break;
	default:
		*s = -cs;
		*c = sn;
		break;
	}
	if (*c == 0)
		*c = 0; /* no -0 */
}

struct inv {
	double sbet1, cbet1, sbet2, cbet2; /* reduced latitudes, canonical */
	double lam;			   /* target longitude difference, radians in [0, pi] */
};

/* Integrals over [s1, s2] of sqrt(1 + k2 sin^2) (into *i1 when not NULL) and of the lambda
 * integrand. */
static void integrals(double k2, double s1, double s2, double *i1, double *i3)
{
	double c = (s1 + s2) / 2, h = (s2 - s1) / 2, a1 = 0, a3 = 0;

	for (int i = 0; i < GL_N; i++) {
		double sn = sin(c + h * gl_x[i]), q = sqrt(1 + k2 * sn * sn);

		a1 += gl_w[i] * q;
		a3 += gl_w[i] / (1 + (1 - F) * q);
	}
	if (i1)
		*i1 = h * a1;
	*i3 = h * a3 * (2 - F);
}

/* The geodesic leaving point 1 with azimuth alpha1, followed to latitude beta2 */
struct arc {
	double salp0, k2, sig1, sig2, lam;
};

static void arc_eval(const struct inv *g, double alp1, struct arc *o)
{
	double salp1 = sin(alp1), calp1 = cos(alp1), calp0, cb2, i3;

	if (alp1 >= M_PI) { /* exactly the meridian through the south pole */
		salp1 = 0;
		calp1 = -1;
	}
	o->salp0 = salp1 * g->cbet1;
	calp0 = hypot(calp1, salp1 * g->sbet1);
	/* cos(alpha2) cos(beta2) >= 0: point 2 is reached heading north */
	cb2 = g->cbet2 == g->cbet1 ? fabs(calp1) * g->cbet1
				   : sqrt(calp1 * g->cbet1 * calp1 * g->cbet1 +
					  (g->cbet2 - g->cbet1) * (g->cbet2 + g->cbet1));
	o->sig1 = atan2(g->sbet1, calp1 * g->cbet1);
	o->sig2 = atan2(g->sbet2, cb2);
	o->k2 = EP2 * calp0 * calp0;
	integrals(o->k2, o->sig1, o->sig2, NULL, &i3);
	o->lam = atan2(o->salp0 * g->sbet2, cb2) - atan2(o->salp0 * g->sbet1, calp1 * g->cbet1) -
		 F * o->salp0 * i3;
}

/* Reduced latitude of phi degrees: sin, cos (cos kept away from 0 at the poles). */
static void reduced(double phi, double *sb, double *cb)
{
	double s, c, h;

	sincosd(phi, &s, &c);
	s *= 1 - F;
	h = hypot(s, c);
	*sb = s / h;
	*cb = fmax(c / h, sqrt(DBL_MIN));
}

double geo_distance(double lat1, double lon1, double lat2, double lon2)
{
	struct inv g;
	struct arc a, best;
	double lo = 0, hi = M_PI, fhi, x, xp, fp, bestf, i1, i3, t;
	int sinceshrink = 0;

	if (!isfinite(lat1) || !isfinite(lon1) || !isfinite(lat2) || !isfinite(lon2))
		return NAN;
	pthread_once(&gl_once, gl_init);
	t = fabs(remainder(lon2 - lon1, 360));
	if (fabs(lat1) < fabs(lat2)) {
		double u = lat1;

		lat1 = lat2;
		lat2 = u;
	}
	if (lat1 > 0) {
		lat1 = -lat1;
		lat2 = -lat2;
	}
	reduced(lat1, &g.sbet1, &g.cbet1);
	reduced(lat2, &g.sbet2, &g.cbet2);
	g.sbet1 = -fabs(g.sbet1); /* -0 on the equator: sigma1 = -pi when heading south */
	g.lam = t * (M_PI / 180);
	if (t == 0) { /* along the meridian */
		double s1 = atan2(g.sbet1, g.cbet1), s2 = atan2(g.sbet2, g.cbet2);

		integrals(EP2, fmin(s1, s2), fmax(s1, s2), &i1, &i3);
		return B * i1;
	}
	if (g.sbet1 == 0 && g.sbet2 == 0 && t <= (1 - F) * 180)
		return A * g.lam; /* along the equator */
	/* lambda(0) = 0 <= lam <= pi = lambda(pi): bracket, start from the sphere's azimuth */
	fhi = M_PI - g.lam;
	x = atan2(g.cbet2 * sin(g.lam), g.cbet1 * g.sbet2 - g.sbet1 * g.cbet2 * cos(g.lam));
	if (!(x > lo && x < hi))
		x = M_PI / 2;
	xp = hi;
	fp = fhi;
	arc_eval(&g, hi, &best);
	bestf = fhi;
	for (int it = 0; it < 200; it++) {
		double fx, xn;

		arc_eval(&g, x, &a);
		fx = a.lam - g.lam;
		if (fabs(fx) < fabs(bestf)) {
			best = a;
			bestf = fx;
		}
		if (fabs(fx) <= 1e-15)
			break;
		if (fx < 0) {
			lo = x;
		} else {
			hi = x;
			fhi = fx;
		}
		if (!(hi - lo > 1e-16))
			break;
		xn = fx != fp ? x - fx * (x - xp) / (fx - fp) : (lo + hi) / 2;
		if (!(xn > lo && xn < hi) || ++sinceshrink > 4) {
			xn = (lo + hi) / 2;
			sinceshrink = 0;
		}
		xp = x;
		fp = fx;
		x = xn;
	}
	integrals(best.k2, best.sig1, best.sig2, &i1, &i3);
	/* the end point found lies bestf radians east of point 2 along its parallel */
	return fmax(0, B * i1 - bestf * A * best.salp0); /* no -1e-304 for coincident points */
}

/* Great-circle distance on the mean sphere (haversine), geodetic latitudes. */
static double sphere_dist(double lat1, double lon1, double lat2, double lon2)
{
	double p1 = lat1 * (M_PI / 180), p2 = lat2 * (M_PI / 180);
	double dp = sin((p2 - p1) / 2), dl = sin(remainder(lon2 - lon1, 360) * (M_PI / 360));
	double h = dp * dp + cos(p1) * cos(p2) * dl * dl;

	return 2 * R_MEAN * asin(sqrt(fmin(1, h)));
}

/*
 * In latitude/longitude coordinates the ellipsoid's line element lies
 * between 0.9944 and 1.0045 times the mean sphere's (meridional radius of
 * curvature 6335439..6399594 m, prime vertical 6378137..6399594 m, against
 * 6371009 m), so every geodesic distance lies within those factors of the
 * spherical one.  With a 1 % margin the sphere decides all but a thin band
 * around the circle's edge.
 */
int geo_circle_covers(const struct geo_zone *z, double lat, double lon)
{
	double d = sphere_dist(z->lat, z->lon, lat, lon);

	if (d * 0.99 > z->rad)
		return 0;
	if (d * 1.01 < z->rad)
		return 1;
	return geo_distance(z->lat, z->lon, lat, lon) <= z->rad;
}
