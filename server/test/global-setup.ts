// One PostgreSQL cluster with a migrated template database for the whole run.
export { setupTestCluster as setup, teardownTestCluster as teardown } from '@hookline/database/testing';
