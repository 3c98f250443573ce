import { registerEnumType } from 'type-graphql';

export enum Network {
  X = 'X',
  INSTAGRAM = 'INSTAGRAM',
  TIKTOK = 'TIKTOK',
  YOUTUBE = 'YOUTUBE',
  LINKEDIN = 'LINKEDIN',
  TWITCH = 'TWITCH',
}
registerEnumType(Network, { name: 'Network' });

export const NETWORKS = Object.values(Network);
