package retrieval

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSymEigen(t *testing.T) {
	for _, n := range []int{1, 2, 3, 10, 57} {
		rng := rand.New(rand.NewPCG(uint64(n), 1))
		a := make([][]float64, n)
		for i := range a {
			a[i] = make([]float64, n)
		}
		// A Gram matrix (positive semi-definite, like the embedder's), of
		// rank at most n/2+1, so zero eigenvalues are exercised too.
		r := n/2 + 1
		x := make([][]float64, n)
		for i := range x {
			x[i] = make([]float64, r)
			for k := range x[i] {
				x[i][k] = rng.NormFloat64()
			}
		}
		for i := range n {
			for j := range n {
				for k := range r {
					a[i][j] += x[i][k] * x[j][k]
				}
			}
		}
		vals, v := symEigen(a)
		for k := 1; k < n; k++ {
			if vals[k] > vals[k-1] {
				t.Fatalf("n=%d: eigenvalues not descending: %v", n, vals)
			}
		}
		for k := range n {
			// A v_k = λ_k v_k
			for i := range n {
				var s float64
				for j := range n {
					s += a[i][j] * v[j][k]
				}
				if math.Abs(s-vals[k]*v[i][k]) > 1e-8*(1+math.Abs(vals[0])) {
					t.Fatalf("n=%d: (A v)[%d] = %g, λ v = %g for k=%d", n, i, s, vals[k]*v[i][k], k)
				}
			}
			// Orthonormal columns.
			for l := range n {
				var s float64
				for i := range n {
					s += v[i][k] * v[i][l]
				}
				want := 0.0
				if k == l {
					want = 1
				}
				if math.Abs(s-want) > 1e-9 {
					t.Fatalf("n=%d: v_%d·v_%d = %g", n, k, l, s)
				}
			}
		}
	}
}
