/**
 * Fréchet distance between two sets of feature vectors, each summarised by a Gaussian:
 * ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^(1/2)) (Dowson and Landau 1982; Heusel et al.
 * 2017 use it on Inception features as FID). Here the features come from our small face
 * classifier, so the number is comparable only with itself, not with published FIDs.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface Gaussian {
  readonly mean: Float64Array;
  readonly covariance: Matrix;
}

/** Mean and (unbiased) covariance of `rows` feature vectors of length `dim`, row-major. */
export function fitGaussian(features: ArrayLike<number>, rows: number, dim: number): Gaussian {
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++)
    for (let k = 0; k < dim; k++) mean[k]! += features[r * dim + k]! / rows;
  const covariance = new Matrix(dim, dim);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < dim; i++) {
      const di = features[r * dim + i]! - mean[i]!;
      for (let j = i; j < dim; j++) {
        covariance.set(
          i,
          j,
          covariance.get(i, j) + (di * (features[r * dim + j]! - mean[j]!)) / (rows - 1),
        );
      }
    }
  }
  for (let i = 0; i < dim; i++)
    for (let j = 0; j < i; j++) covariance.set(i, j, covariance.get(j, i));
  return { mean, covariance };
}

/** Symmetric PSD square root through the eigendecomposition (negative eigenvalues clamped). */
function sqrtPsd(m: Matrix): Matrix {
  const eig = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = eig.eigenvectorMatrix;
  const roots = eig.realEigenvalues.map((l) => Math.sqrt(Math.max(0, l)));
  return v.mmul(Matrix.diag(roots)).mmul(v.transpose());
}

export function frechetDistance(a: Gaussian, b: Gaussian): number {
  let meanTerm = 0;
  for (let k = 0; k < a.mean.length; k++) meanTerm += (a.mean[k]! - b.mean[k]!) ** 2;
  // Tr((S_a S_b)^(1/2)) = Tr((S_a^(1/2) S_b S_a^(1/2))^(1/2)), whose argument is symmetric PSD.
  const rootA = sqrtPsd(a.covariance);
  const cross = sqrtPsd(rootA.mmul(b.covariance).mmul(rootA));
  const trace = (m: Matrix) => m.diag().reduce((s, v) => s + v, 0);
  return Math.max(0, meanTerm + trace(a.covariance) + trace(b.covariance) - 2 * trace(cross));
}
