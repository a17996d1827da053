/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages stay out of the client bundles and out of Next's bundling.
  serverExternalPackages: ['pino', 'bullmq', 'ioredis', 'pg', 'mqtt', 'prom-client'],
};

module.exports = nextConfig;
