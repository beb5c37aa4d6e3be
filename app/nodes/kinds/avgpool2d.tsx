import { MAPS_NODE_BOX } from '../nodeLook.ts';
import { PoolBody } from '../PoolBody.tsx';

export const type = 'avgpool2d';
export const box = MAPS_NODE_BOX;
export const Body = PoolBody;
