import { describe, expect, it } from 'vitest';
import { announceStoreChange, onStoreChange } from './store-changes';

describe('store changes', () => {
  it('reaches listeners of the same area, in this context too, until they unsubscribe', async () => {
    const heard: string[] = [];
    const stopModels = onStoreChange('models', () => heard.push('models'));
    const stopDatasets = onStoreChange('datasets', () => heard.push('datasets'));
    announceStoreChange('models');
    await expect.poll(() => heard).toEqual(['models']);
    stopModels();
    announceStoreChange('models');
    announceStoreChange('datasets');
    await expect.poll(() => heard).toEqual(['models', 'datasets']);
    stopDatasets();
  });
});
