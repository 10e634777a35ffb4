// Links, addresses and neighbours, shaped like `ip link`, `ip addr` and `ip neigh`: plans, and the
// command-line syntax and output of those commands. The models are @vrfctl/rtnetlink's Link,
// Address and Neighbour; the shared iproute2 conventions (ArgumentError, DeviceNotFoundError,
// parsers, name databases) come from @vrfctl/iproute2.
export type { LinkRef } from './link.js';
export { LinkNames, getLinkRequest } from './link-names.js';
export { findLink, getLink, linkDumpRequest, listLinks, type LinkFilter } from './links.js';
export { validateLinkAttributes, type LinkAttributes } from './link-attributes.js';
export { closeNetns, netnsFile, openNetns, validateNetns, type NetnsRef, type ResolvedNetns } from './link-netns.js';
export {
  IFLA_BR, type BridgeOptions, type MacvlanMode, type MacvlanOptions, type VlanOptions, type VlanProtocol, type VrfOptions,
  type VxlanOptions,
} from './link-kinds.js';
export { type BondOptions, type IpvlanOptions, type KindChange } from './link-kind-options.js';
export { createLink, createLinkRequest, describeCreate, type CreateLinkOptions, type InfoDataAttribute, type VethPeer } from './link-create.js';
export {
  addAltName, deleteAltName, deleteLink, deleteLinkRequest, describeSet, setLink, setLinkRequest, validateLinkChanges, type LinkChanges,
} from './link-change.js';
export {
  ADDRESS_FLAG_KEYWORDS, INFINITY_LIFETIME, addAddress, addressDumpRequest, addressPrefix, addressRequest, changeAddress,
  deleteAddress, flushAddresses, listAddresses, replaceAddress,
  type AddressFilter, type AddressFlag, type AddressFlushFilter, type AddressSpec,
} from './addresses.js';
export {
  NUD_KEYWORDS, addNeighbour, changeNeighbour, deleteNeighbour, flushNeighbours, listNeighbours, neighbourDumpRequest,
  neighbourRequest, replaceNeighbour,
  type NeighbourFilter, type NeighbourFlushFilter, type NeighbourSpec, type NudState,
} from './neighbours.js';
export { linkPlans, links, linksAsync, linksSync, type LinkApiAsync, type LinkApiSync } from './api.js';
// The `ip link|addr|neigh` command lines (words to specs and filters) and output (text and -j).
export { parseLinkAdd, parseLinkDel, parseLinkProperty, parseLinkSet, parseLinkShow, type LinkShowArgs } from './link-parse.js';
export { parseAddressShow, parseAddressSpec, type AddressShowArgs } from './address-parse.js';
export { parseNeighbourShow, parseNeighbourSpec, type NeighbourShowArgs } from './neighbour-parse.js';
export { formatLink, linkFlagNames, linkToJson, type LinkLookup, type LinkPrintOptions } from './link-print.js';
export { linksNamedByDetails } from './link-details-print.js';
export { addressToJson, formatAddress } from './address-print.js';
export { formatNeighbour, neighbourToJson, stateNames } from './neighbour-print.js';
export {
  batchAddresses, batchLinks, batchNeighbours, describeAddressChange, describeNeighbourChange,
  type AddressChange, type LinkBatch, type NeighbourChange,
} from './batch.js';
export { addressSpecOf, neighbourSpecOf } from './spec-of.js';
export { addressBriefToJson, formatAddressBrief, formatLinkBrief, linkBriefToJson } from './link-brief-print.js';
export { formatLinkStats, linkStatsToJson } from './link-stats-print.js';
export {
  addBridgeVlan, bridgeVlanDumpRequest, bridgeVlanRequest, deleteBridgeVlan, describeBridgeVlan, listBridgeVlans, validateBridgeVlan,
  type BridgePortVlans, type BridgeVlanChange, type BridgeVlanFilter, type BridgeVlanSpec,
} from './bridge-vlans.js';
export { parseBridgeVlanCommand, parseBridgeVlanShow, parseBridgeVlanSpec, type BridgeVlanCommand } from './bridge-vlan-parse.js';
export { BRIDGE_VLAN_HEADER, bridgeVlansToJson, formatBridgeVlans, type BridgeVlanJson } from './bridge-vlan-print.js';
