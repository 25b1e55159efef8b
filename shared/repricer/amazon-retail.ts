/**
 * Seller ids under which Amazon's own retail business sells, per marketplace id. When Amazon is on a listing
 * it usually wins the Buy Box at equal price, and sellers want to decide explicitly whether to fight it
 * (rule `amazon: "compete"`) or to hold their price (`"hold"`). Rules can add ids (`amazonSellerIds`).
 */
export const AMAZON_RETAIL_SELLER_IDS: Readonly<Record<string, string>> = {
  ATVPDKIKX0DER: 'ATVPDKIKX0DER', // amazon.com
  A1PA6795UKMFR9: 'A3JWKAKR8XB7XF', // amazon.de
  A1F83G8C2ARO7P: 'A3P5ROKL5A1OLE', // amazon.co.uk
  A13V1IB3VIYZZH: 'A1X6FK5RDHNB96', // amazon.fr
  APJ6JRA9NG5V4: 'A11IL2PNWYJU7H', // amazon.it
  A1RKKUPIHCS9HS: 'A1AT7YVPFBWXBL', // amazon.es
};

const ALL_RETAIL_IDS = new Set(Object.values(AMAZON_RETAIL_SELLER_IDS));

export function isAmazonRetailSeller(sellerId: string): boolean {
  return ALL_RETAIL_IDS.has(sellerId);
}
