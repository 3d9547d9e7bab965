/** Pool and app client the in-memory figures use (no request is ever sent with them). */
export const BENCH_POOL = {
  userPoolId: 'us-east-1_BenchPool1',
  clientId: '1benchclient23456789abcdef',
} as const;
